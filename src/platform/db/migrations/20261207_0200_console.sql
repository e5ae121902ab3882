-- The console (docs/console.md): people of accounts, their sessions and one-time tokens, the account audit log,
-- credit packages and top-up requests, operators and their sessions. Secrets are stored only as SHA-256
-- (sessions, tokens) or scrypt (passwords).

create table console_users (
  user_id           text primary key,
  account_id        text not null references accounts (account_id),
  email             text not null check (email = lower(email) and length(email) <= 254),
  name              text check (length(name) <= 200),
  role              text not null check (role in ('owner','developer','billing','viewer')),
  password_hash     text not null,
  email_verified_at timestamptz,
  created_at        timestamptz not null default now()
);
create unique index console_users_email_idx on console_users (email);
create index console_users_account_idx on console_users (account_id);

create table console_sessions (
  session_hash bytea primary key,
  user_id      text not null references console_users (user_id) on delete cascade,
  csrf_token   text not null,
  ip           text,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null                        -- absolute end (7 days); idle end is last_seen_at + 12 h
);
create index console_sessions_user_idx on console_sessions (user_id);

-- Verification, reset and invitation links: single use, hashed.
create table console_tokens (
  token_hash  bytea primary key,
  kind        text not null check (kind in ('verify','reset','invite')),
  user_id     text references console_users (user_id) on delete cascade,
  account_id  text references accounts (account_id),
  email       text,
  role        text check (role in ('owner','developer','billing','viewer')),
  invitation_id text unique,
  created_by  text,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  used_at     timestamptz
);
create index console_tokens_account_idx on console_tokens (account_id) where kind = 'invite';

-- The key hint of keys issued through the console (the key itself is never stored).
create table console_key_hints (
  client_id  text primary key references api_clients (client_id) on delete cascade,
  hint       text not null,
  updated_at timestamptz not null default now()
);

create table console_audit (
  audit_id   bigserial primary key,
  account_id text references accounts (account_id),
  actor_kind text not null check (actor_kind in ('user','operator','system')),
  actor_id   text,
  actor      text,
  action     text not null,
  target     text,
  details    jsonb not null default '{}'::jsonb,
  ip         text,
  at         timestamptz not null default now()
);
create index console_audit_account_idx on console_audit (account_id, audit_id desc);

create table credit_packages (
  package_id text primary key check (package_id ~ '^[a-z0-9_-]{1,40}$'),
  credits    bigint not null check (credits > 0),        -- 1/10,000 credit
  price      numeric(12, 2) not null check (price >= 0),
  currency   char(3) not null check (currency ~ '^[A-Z]{3}$'),
  active     boolean not null default true,
  updated_at timestamptz not null default now()
);
insert into credit_packages (package_id, credits, price, currency) values
  ('starter', 1000 * 10000, 10.00, 'USD'),
  ('growth', 10000 * 10000, 90.00, 'USD'),
  ('scale', 100000 * 10000, 800.00, 'USD');

create table topups (
  topup_id     text primary key,
  account_id   text not null references accounts (account_id),
  package_id   text not null references credit_packages (package_id),
  credits      bigint not null check (credits > 0),
  price        numeric(12, 2) not null,
  currency     char(3) not null,
  status       text not null default 'pending' check (status in ('pending','confirmed','rejected','cancelled')),
  requested_by text,
  requested_at timestamptz not null default now(),
  decided_by   text,
  decided_at   timestamptz,
  note         text
);
create index topups_account_idx on topups (account_id, requested_at desc);
create index topups_pending_idx on topups (requested_at) where status = 'pending';

create table operators (
  operator_id    text primary key,
  email          text not null unique check (email = lower(email)),
  password_hash  text not null,
  totp_secret    text not null,                           -- base32
  last_totp_step bigint not null default 0,               -- a code is accepted once
  created_at     timestamptz not null default now()
);

create table operator_sessions (
  session_hash bytea primary key,
  operator_id  text not null references operators (operator_id) on delete cascade,
  csrf_token   text not null,
  ip           text,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null
);
