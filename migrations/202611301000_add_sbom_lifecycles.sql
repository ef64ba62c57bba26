-- When in its lifecycle each document was made (CISA 2025 minimum elements, "generation context"): CycloneDX 1.5+
-- metadata.lifecycles phases (design, pre-build, build, post-build, operations, discovery, decommission) or custom
-- lifecycle names, SPDX 3 software_Sbom sbomType (design, source, build, deployed, runtime, analyzed), in the
-- document's own spelling. Empty when the document states none (SPDX 2 has no such field).
alter table sbom add column if not exists lifecycles text[] not null default '{}';
