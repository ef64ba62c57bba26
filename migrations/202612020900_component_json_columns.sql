-- A component's licences and external references are kept as `json` (the text as written, checked as JSON), not
-- `jsonb`. They are written with every component row and read back whole; only the scorecards look inside the
-- licences, and only of components without a licence expression. Converting each value to jsonb's binary form was
-- a fifth of the server's time to store the component rows of a large upload (README, "Benchmark").
alter table component alter column licenses drop default, alter column external_references drop default;
alter table component alter column licenses type json using licenses::json, alter column external_references type json using external_references::json;
alter table component alter column licenses set default '[]', alter column external_references set default '[]';
