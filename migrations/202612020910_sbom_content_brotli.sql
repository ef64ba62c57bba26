-- Originals are now kept as brotli (quality 1, src/store/compress-in-background.ts): on a large upload it takes two
-- thirds of gzip's time on the thread pool, which shares two cores with the parse and the database. Documents
-- stored before stay gzip; both are decoded when read back.
alter table sbom drop constraint if exists sbom_content_encoding_check;
alter table sbom add constraint sbom_content_encoding_check check (content_encoding in ('identity', 'gzip', 'br'));
