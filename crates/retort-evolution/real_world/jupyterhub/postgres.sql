--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    user_id integer,
    service_id integer,
    id integer NOT NULL,
    hashed character varying(255),
    prefix character varying(16),
    client_id character varying(255),
    session_id character varying(255),
    created timestamp without time zone,
    expires_at timestamp without time zone,
    last_activity timestamp without time zone,
    note character varying(1023),
    scopes text
);


--
-- Name: api_tokens_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.api_tokens_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: api_tokens_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.api_tokens_id_seq OWNED BY public.api_tokens.id;


--
-- Name: group_role_map; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.group_role_map (
    group_id integer NOT NULL,
    role_id integer NOT NULL,
    managed_by_auth boolean NOT NULL
);


--
-- Name: groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.groups (
    id integer NOT NULL,
    name character varying(255),
    properties text
);


--
-- Name: groups_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.groups_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: groups_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.groups_id_seq OWNED BY public.groups.id;


--
-- Name: oauth_clients; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oauth_clients (
    id integer NOT NULL,
    identifier character varying(255),
    description character varying(1023),
    secret character varying(255),
    redirect_uri character varying(1023),
    allowed_scopes text
);


--
-- Name: oauth_clients_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.oauth_clients_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: oauth_clients_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.oauth_clients_id_seq OWNED BY public.oauth_clients.id;


--
-- Name: oauth_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oauth_codes (
    id integer NOT NULL,
    client_id character varying(255),
    code character varying(36),
    expires_at integer,
    redirect_uri character varying(1023),
    session_id character varying(255),
    user_id integer,
    scopes text,
    code_challenge character varying(255),
    code_challenge_method character varying(64)
);


--
-- Name: oauth_codes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.oauth_codes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: oauth_codes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.oauth_codes_id_seq OWNED BY public.oauth_codes.id;


--
-- Name: roles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roles (
    id integer NOT NULL,
    name character varying(255),
    description character varying(1023),
    scopes text,
    managed_by_auth boolean NOT NULL
);


--
-- Name: roles_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.roles_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: roles_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.roles_id_seq OWNED BY public.roles.id;


--
-- Name: servers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.servers (
    id integer NOT NULL,
    proto character varying(15),
    ip character varying(255),
    port integer,
    base_url character varying(255),
    cookie_name character varying(255)
);


--
-- Name: servers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.servers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: servers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.servers_id_seq OWNED BY public.servers.id;


--
-- Name: service_role_map; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.service_role_map (
    service_id integer NOT NULL,
    role_id integer NOT NULL,
    managed_by_auth boolean NOT NULL
);


--
-- Name: services; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.services (
    id integer NOT NULL,
    name character varying(255),
    admin boolean,
    url character varying(2047),
    oauth_client_allowed_scopes text,
    info text,
    display boolean,
    oauth_no_confirm boolean,
    command text,
    cwd character varying(4095),
    environment text,
    "user" character varying(255),
    timeout integer NOT NULL,
    from_config boolean,
    _server_id integer,
    pid integer,
    oauth_client_id character varying(255)
);


--
-- Name: services_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.services_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: services_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.services_id_seq OWNED BY public.services.id;


--
-- Name: share_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.share_codes (
    hashed character varying(255),
    prefix character varying(16),
    exchange_count integer,
    last_exchanged_at timestamp without time zone,
    id integer NOT NULL,
    created_at timestamp without time zone NOT NULL,
    scopes text,
    expires_at timestamp without time zone,
    owner_id integer,
    spawner_id integer
);


--
-- Name: share_codes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.share_codes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: share_codes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.share_codes_id_seq OWNED BY public.share_codes.id;


--
-- Name: shares; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.shares (
    user_id integer,
    group_id integer,
    id integer NOT NULL,
    created_at timestamp without time zone NOT NULL,
    scopes text,
    expires_at timestamp without time zone,
    owner_id integer,
    spawner_id integer
);


--
-- Name: shares_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.shares_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: shares_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.shares_id_seq OWNED BY public.shares.id;


--
-- Name: spawners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.spawners (
    id integer NOT NULL,
    user_id integer,
    server_id integer,
    state text,
    name character varying(255),
    display_name character varying(255),
    started timestamp without time zone,
    last_activity timestamp without time zone,
    user_options text,
    oauth_client_id character varying(255)
);


--
-- Name: spawners_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.spawners_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: spawners_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.spawners_id_seq OWNED BY public.spawners.id;


--
-- Name: user_group_map; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_group_map (
    user_id integer NOT NULL,
    group_id integer NOT NULL
);


--
-- Name: user_role_map; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_role_map (
    user_id integer NOT NULL,
    role_id integer NOT NULL,
    managed_by_auth boolean NOT NULL
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id integer NOT NULL,
    name character varying(255),
    user_info text,
    admin boolean,
    created timestamp without time zone,
    last_activity timestamp without time zone,
    cookie_id character varying(255) NOT NULL,
    state text,
    encrypted_auth_state bytea
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: api_tokens id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens ALTER COLUMN id SET DEFAULT nextval('public.api_tokens_id_seq'::regclass);


--
-- Name: groups id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.groups ALTER COLUMN id SET DEFAULT nextval('public.groups_id_seq'::regclass);


--
-- Name: oauth_clients id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_clients ALTER COLUMN id SET DEFAULT nextval('public.oauth_clients_id_seq'::regclass);


--
-- Name: oauth_codes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_codes ALTER COLUMN id SET DEFAULT nextval('public.oauth_codes_id_seq'::regclass);


--
-- Name: roles id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roles ALTER COLUMN id SET DEFAULT nextval('public.roles_id_seq'::regclass);


--
-- Name: servers id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.servers ALTER COLUMN id SET DEFAULT nextval('public.servers_id_seq'::regclass);


--
-- Name: services id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services ALTER COLUMN id SET DEFAULT nextval('public.services_id_seq'::regclass);


--
-- Name: share_codes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share_codes ALTER COLUMN id SET DEFAULT nextval('public.share_codes_id_seq'::regclass);


--
-- Name: shares id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.shares ALTER COLUMN id SET DEFAULT nextval('public.shares_id_seq'::regclass);


--
-- Name: spawners id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.spawners ALTER COLUMN id SET DEFAULT nextval('public.spawners_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: api_tokens pk_api_tokens; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT pk_api_tokens PRIMARY KEY (id);


--
-- Name: group_role_map pk_group_role_map; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.group_role_map
    ADD CONSTRAINT pk_group_role_map PRIMARY KEY (group_id, role_id);


--
-- Name: groups pk_groups; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.groups
    ADD CONSTRAINT pk_groups PRIMARY KEY (id);


--
-- Name: oauth_clients pk_oauth_clients; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_clients
    ADD CONSTRAINT pk_oauth_clients PRIMARY KEY (id);


--
-- Name: oauth_codes pk_oauth_codes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_codes
    ADD CONSTRAINT pk_oauth_codes PRIMARY KEY (id);


--
-- Name: roles pk_roles; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roles
    ADD CONSTRAINT pk_roles PRIMARY KEY (id);


--
-- Name: servers pk_servers; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.servers
    ADD CONSTRAINT pk_servers PRIMARY KEY (id);


--
-- Name: service_role_map pk_service_role_map; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_role_map
    ADD CONSTRAINT pk_service_role_map PRIMARY KEY (service_id, role_id);


--
-- Name: services pk_services; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT pk_services PRIMARY KEY (id);


--
-- Name: share_codes pk_share_codes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share_codes
    ADD CONSTRAINT pk_share_codes PRIMARY KEY (id);


--
-- Name: shares pk_shares; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.shares
    ADD CONSTRAINT pk_shares PRIMARY KEY (id);


--
-- Name: spawners pk_spawners; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.spawners
    ADD CONSTRAINT pk_spawners PRIMARY KEY (id);


--
-- Name: user_group_map pk_user_group_map; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_group_map
    ADD CONSTRAINT pk_user_group_map PRIMARY KEY (user_id, group_id);


--
-- Name: user_role_map pk_user_role_map; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_role_map
    ADD CONSTRAINT pk_user_role_map PRIMARY KEY (user_id, role_id);


--
-- Name: users pk_users; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT pk_users PRIMARY KEY (id);


--
-- Name: api_tokens uq_api_tokens_hashed; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT uq_api_tokens_hashed UNIQUE (hashed);


--
-- Name: groups uq_groups_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.groups
    ADD CONSTRAINT uq_groups_name UNIQUE (name);


--
-- Name: oauth_clients uq_oauth_clients_identifier; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_clients
    ADD CONSTRAINT uq_oauth_clients_identifier UNIQUE (identifier);


--
-- Name: roles uq_roles_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roles
    ADD CONSTRAINT uq_roles_name UNIQUE (name);


--
-- Name: services uq_services_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT uq_services_name UNIQUE (name);


--
-- Name: share_codes uq_share_codes_hashed; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share_codes
    ADD CONSTRAINT uq_share_codes_hashed UNIQUE (hashed);


--
-- Name: users uq_users_cookie_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT uq_users_cookie_id UNIQUE (cookie_id);


--
-- Name: users uq_users_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT uq_users_name UNIQUE (name);


--
-- Name: ix_api_tokens_prefix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_api_tokens_prefix ON public.api_tokens USING btree (prefix);


--
-- Name: ix_share_codes_prefix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_share_codes_prefix ON public.share_codes USING btree (prefix);


--
-- Name: api_tokens fk_api_tokens_client_id_oauth_clients; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT fk_api_tokens_client_id_oauth_clients FOREIGN KEY (client_id) REFERENCES public.oauth_clients(identifier) ON DELETE CASCADE;


--
-- Name: api_tokens fk_api_tokens_service_id_services; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT fk_api_tokens_service_id_services FOREIGN KEY (service_id) REFERENCES public.services(id) ON DELETE CASCADE;


--
-- Name: api_tokens fk_api_tokens_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: group_role_map fk_group_role_map_group_id_groups; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.group_role_map
    ADD CONSTRAINT fk_group_role_map_group_id_groups FOREIGN KEY (group_id) REFERENCES public.groups(id) ON DELETE CASCADE;


--
-- Name: group_role_map fk_group_role_map_role_id_roles; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.group_role_map
    ADD CONSTRAINT fk_group_role_map_role_id_roles FOREIGN KEY (role_id) REFERENCES public.roles(id) ON DELETE CASCADE;


--
-- Name: oauth_codes fk_oauth_codes_client_id_oauth_clients; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_codes
    ADD CONSTRAINT fk_oauth_codes_client_id_oauth_clients FOREIGN KEY (client_id) REFERENCES public.oauth_clients(identifier) ON DELETE CASCADE;


--
-- Name: oauth_codes fk_oauth_codes_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_codes
    ADD CONSTRAINT fk_oauth_codes_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: service_role_map fk_service_role_map_role_id_roles; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_role_map
    ADD CONSTRAINT fk_service_role_map_role_id_roles FOREIGN KEY (role_id) REFERENCES public.roles(id) ON DELETE CASCADE;


--
-- Name: service_role_map fk_service_role_map_service_id_services; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_role_map
    ADD CONSTRAINT fk_service_role_map_service_id_services FOREIGN KEY (service_id) REFERENCES public.services(id) ON DELETE CASCADE;


--
-- Name: services fk_services__server_id_servers; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT fk_services__server_id_servers FOREIGN KEY (_server_id) REFERENCES public.servers(id) ON DELETE SET NULL;


--
-- Name: services fk_services_oauth_client_id_oauth_clients; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT fk_services_oauth_client_id_oauth_clients FOREIGN KEY (oauth_client_id) REFERENCES public.oauth_clients(identifier) ON DELETE SET NULL;


--
-- Name: share_codes fk_share_codes_owner_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share_codes
    ADD CONSTRAINT fk_share_codes_owner_id_users FOREIGN KEY (owner_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: share_codes fk_share_codes_spawner_id_spawners; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share_codes
    ADD CONSTRAINT fk_share_codes_spawner_id_spawners FOREIGN KEY (spawner_id) REFERENCES public.spawners(id) ON DELETE CASCADE;


--
-- Name: shares fk_shares_group_id_groups; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.shares
    ADD CONSTRAINT fk_shares_group_id_groups FOREIGN KEY (group_id) REFERENCES public.groups(id) ON DELETE CASCADE;


--
-- Name: shares fk_shares_owner_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.shares
    ADD CONSTRAINT fk_shares_owner_id_users FOREIGN KEY (owner_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: shares fk_shares_spawner_id_spawners; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.shares
    ADD CONSTRAINT fk_shares_spawner_id_spawners FOREIGN KEY (spawner_id) REFERENCES public.spawners(id) ON DELETE CASCADE;


--
-- Name: shares fk_shares_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.shares
    ADD CONSTRAINT fk_shares_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: spawners fk_spawners_oauth_client_id_oauth_clients; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.spawners
    ADD CONSTRAINT fk_spawners_oauth_client_id_oauth_clients FOREIGN KEY (oauth_client_id) REFERENCES public.oauth_clients(identifier) ON DELETE SET NULL;


--
-- Name: spawners fk_spawners_server_id_servers; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.spawners
    ADD CONSTRAINT fk_spawners_server_id_servers FOREIGN KEY (server_id) REFERENCES public.servers(id) ON DELETE SET NULL;


--
-- Name: spawners fk_spawners_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.spawners
    ADD CONSTRAINT fk_spawners_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: user_group_map fk_user_group_map_group_id_groups; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_group_map
    ADD CONSTRAINT fk_user_group_map_group_id_groups FOREIGN KEY (group_id) REFERENCES public.groups(id) ON DELETE CASCADE;


--
-- Name: user_group_map fk_user_group_map_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_group_map
    ADD CONSTRAINT fk_user_group_map_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: user_role_map fk_user_role_map_role_id_roles; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_role_map
    ADD CONSTRAINT fk_user_role_map_role_id_roles FOREIGN KEY (role_id) REFERENCES public.roles(id) ON DELETE CASCADE;


--
-- Name: user_role_map fk_user_role_map_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_role_map
    ADD CONSTRAINT fk_user_role_map_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


