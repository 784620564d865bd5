//! Normalising pg_dump output: noise out, ignored tables out, schema kept.

use retort_testkit::{assert_same_text, normalize_pg_dump, unified_diff, DumpNormalizer};

const DUMP: &str = "--
-- PostgreSQL database dump
--

\\restrict AbCdEf123

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


ALTER TABLE public.alembic_version OWNER TO postgres;

--
-- Name: things; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.things (
    id integer NOT NULL
);


ALTER TABLE public.things OWNER TO postgres;

--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: ix_version; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX ix_version ON public.alembic_version USING btree (version_num);


--
-- Name: things things_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.things
    ADD CONSTRAINT things_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\\unrestrict AbCdEf123

";

#[test]
fn noise_lines_are_dropped_and_schema_kept() {
    let normalized = DumpNormalizer::new().normalize(DUMP);
    assert!(!normalized.contains("restrict"), "{normalized}");
    assert!(!normalized.contains("Dumped from"), "{normalized}");
    assert!(!normalized.contains("Dumped by"), "{normalized}");
    assert!(normalized.contains("CREATE TABLE public.alembic_version ("));
    assert!(normalized.contains("CREATE TABLE public.things ("));
    assert!(
        !normalized.contains("\n\n\n"),
        "blank runs collapse: {normalized}"
    );
    assert!(
        normalized.ends_with("-- PostgreSQL database dump complete\n--\n"),
        "{normalized}"
    );
}

#[test]
fn ignored_table_loses_its_table_constraint_and_index_blocks_only() {
    let normalized = normalize_pg_dump(DUMP, &["alembic_version"]);
    assert!(!normalized.contains("alembic_version"), "{normalized}");
    assert!(!normalized.contains("ix_version"), "{normalized}");
    assert!(
        normalized.contains("CREATE TABLE public.things ("),
        "{normalized}"
    );
    assert!(
        normalized.contains("ADD CONSTRAINT things_pkey PRIMARY KEY (id);"),
        "{normalized}"
    );
    assert!(
        normalized.contains("SET statement_timeout = 0;"),
        "{normalized}"
    );
}

#[test]
fn schema_qualified_ignore_matches_only_that_schema() {
    let other_schema = DumpNormalizer::new()
        .ignore_table("audit.alembic_version")
        .normalize(DUMP);
    assert!(other_schema.contains("CREATE TABLE public.alembic_version ("));
    let same_schema = DumpNormalizer::new()
        .ignore_table("public.alembic_version")
        .normalize(DUMP);
    assert!(
        !same_schema.contains("CREATE TABLE public.alembic_version ("),
        "{same_schema}"
    );
}

#[test]
fn dumps_differing_only_in_noise_normalise_equal() {
    let other = DUMP.replace("AbCdEf123", "ZZZ999").replace(
        "15.18 (Debian 15.18-0+deb12u1)",
        "15.20 (Debian 15.20-0+deb12u1)",
    );
    assert_ne!(other, DUMP);
    assert_eq!(
        DumpNormalizer::new().normalize(&other),
        DumpNormalizer::new().normalize(DUMP)
    );
}

#[test]
fn owners_can_be_ignored() {
    let by_app = DUMP.replace("postgres", "app");
    let plain = DumpNormalizer::new();
    assert_ne!(plain.normalize(&by_app), plain.normalize(DUMP));
    let ownerless = DumpNormalizer::new().ignore_owners();
    assert_eq!(ownerless.normalize(&by_app), ownerless.normalize(DUMP));
    assert!(!ownerless.normalize(DUMP).contains("OWNER TO"));
}

#[test]
fn a_real_schema_change_survives_normalisation_and_shows_in_the_diff() {
    let changed = DUMP.replace("    id integer NOT NULL\n", "    id bigint NOT NULL\n");
    let expected = normalize_pg_dump(DUMP, &["alembic_version"]);
    let actual = normalize_pg_dump(&changed, &["alembic_version"]);
    assert_ne!(expected, actual);
    let diff = unified_diff("oracle", &expected, "ours", &actual);
    assert!(diff.contains("-    id integer NOT NULL"), "{diff}");
    assert!(diff.contains("+    id bigint NOT NULL"), "{diff}");
    let panic = std::panic::catch_unwind(|| assert_same_text("oracle", &expected, "ours", &actual))
        .expect_err("different texts must fail");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("+    id bigint NOT NULL"), "{message}");
    assert_same_text("oracle", &expected, "ours", &expected);
}
