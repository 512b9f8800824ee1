-- Schema of every entity CTVMS keeps. Money columns are integer minor units
-- (paise, cents). Calendar dates are TEXT 'YYYY-MM-DD' in the operator's
-- local time zone; timestamps are TEXT 'YYYY-MM-DDTHH:MM:SS.sssZ' in UTC, so
-- both sort correctly as text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Counters hand out CRF numbers, invoice numbers and complaint numbers inside
-- the transaction that uses them, so no number is skipped or given twice.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('crf', 1000);

CREATE TABLE customers (
    crf             INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (name <> ''),
    mobile          TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    house           TEXT NOT NULL DEFAULT '',
    street          TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT '',
    postal_code     TEXT NOT NULL DEFAULT '',
    id_proof_type   TEXT NOT NULL DEFAULT '',
    id_proof_number TEXT NOT NULL DEFAULT '',
    date_of_birth   TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    -- Lower-cased name without diacritics, for case- and accent-insensitive
    -- search in any script.
    search_key      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    archived_at     TEXT
);
CREATE INDEX customers_mobile ON customers (mobile);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'customer')),
    customer_crf         INTEGER UNIQUE REFERENCES customers (crf),
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    CHECK ((role = 'customer') = (customer_crf IS NOT NULL))
);

CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    service     TEXT NOT NULL CHECK (service IN ('cable_tv', 'broadband')),
    name        TEXT NOT NULL CHECK (name <> ''),
    price       INTEGER NOT NULL CHECK (price > 0),
    description TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    UNIQUE (service, name)
);

-- Price history: a period is billed at the price in force on its start day.
CREATE TABLE plan_prices (
    plan_id        INTEGER NOT NULL REFERENCES plans (id),
    effective_from TEXT NOT NULL,
    price          INTEGER NOT NULL CHECK (price > 0),
    PRIMARY KEY (plan_id, effective_from)
);

CREATE TABLE connections (
    id              INTEGER PRIMARY KEY,
    customer_crf    INTEGER NOT NULL REFERENCES customers (crf),
    service         TEXT NOT NULL CHECK (service IN ('cable_tv', 'broadband')),
    plan_id         INTEGER NOT NULL REFERENCES plans (id),
    device_id       TEXT NOT NULL DEFAULT '',
    activated_on    TEXT NOT NULL,
    -- Date of the latest activation or reconnection; periods are anchored on it.
    anchor_on       TEXT NOT NULL,
    expires_on      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'suspended', 'disconnected')),
    disconnected_on TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (customer_crf, service)
);
CREATE INDEX connections_expires_on ON connections (expires_on);

CREATE TABLE periods (
    id            INTEGER PRIMARY KEY,
    connection_id INTEGER NOT NULL REFERENCES connections (id),
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    amount        INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    paid          INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
    state         TEXT NOT NULL CHECK (state IN ('scheduled', 'due', 'partial', 'paid', 'waived', 'skipped')),
    waive_reason  TEXT NOT NULL DEFAULT '',
    billed_on     TEXT,
    UNIQUE (connection_id, starts_on)
);
CREATE INDEX periods_state_start ON periods (state, starts_on);
CREATE INDEX periods_year_month ON periods (year, month);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    customer_crf  INTEGER NOT NULL REFERENCES customers (crf),
    connection_id INTEGER NOT NULL REFERENCES connections (id),
    amount        INTEGER NOT NULL CHECK (amount > 0),
    mode          TEXT NOT NULL CHECK (mode IN ('cash', 'online')),
    reference     TEXT,
    received_at   TEXT NOT NULL,
    received_by   INTEGER NOT NULL REFERENCES users (id),
    -- Token of the payment form; a second submit of the same form finds it.
    request_key   TEXT NOT NULL UNIQUE,
    CHECK ((mode = 'online') = (reference IS NOT NULL))
);
CREATE UNIQUE INDEX payments_online_reference ON payments (reference) WHERE mode = 'online';
CREATE INDEX payments_received_at ON payments (received_at);
CREATE INDEX payments_customer ON payments (customer_crf, received_at);

CREATE TABLE payment_allocations (
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    period_id  INTEGER NOT NULL REFERENCES periods (id),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (payment_id, period_id)
);
CREATE INDEX payment_allocations_period ON payment_allocations (period_id);

CREATE TABLE invoices (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    payment_id    INTEGER NOT NULL UNIQUE REFERENCES payments (id),
    issued_at     TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    balance_after INTEGER NOT NULL,
    new_expiry    TEXT NOT NULL,
    pdf_path      TEXT NOT NULL DEFAULT '',
    UNIQUE (year, seq)
);

CREATE TABLE complaints (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    customer_crf    INTEGER NOT NULL REFERENCES customers (crf),
    service         TEXT NOT NULL CHECK (service IN ('cable_tv', 'broadband')),
    category        TEXT NOT NULL CHECK (category IN ('no_signal', 'set_top_box', 'billing', 'broadband_down', 'slow_speed', 'other')),
    description     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved')),
    created_at      TEXT NOT NULL,
    read_at         TEXT,
    resolved_at     TEXT,
    resolution_note TEXT NOT NULL DEFAULT '',
    UNIQUE (year, seq)
);
CREATE INDEX complaints_status ON complaints (status, created_at);
CREATE INDEX complaints_customer ON complaints (customer_crf, created_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    customer_crf    INTEGER REFERENCES customers (crf),
    recipient       TEXT NOT NULL,
    recipient_name  TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    -- Invoice whose PDF is attached when the message is sent.
    invoice_id      INTEGER REFERENCES invoices (id),
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_state_next ON outbox (state, next_attempt_at);
CREATE INDEX outbox_customer_kind ON outbox (customer_crf, kind, created_at);

CREATE TABLE email_templates (
    kind       TEXT PRIMARY KEY,
    subject    TEXT NOT NULL,
    body_text  TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE otps (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    used_at    TEXT
);
CREATE INDEX otps_user ON otps (user_id, created_at);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    details   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Lease that lets one of several running copies own the background jobs.
CREATE TABLE job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
