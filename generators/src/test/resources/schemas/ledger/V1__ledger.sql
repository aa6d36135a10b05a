-- A ledger: exact numerics and money, a transfer between two different accounts, a CHECK
-- comparing two columns, a status list, and a CHECK only the server can evaluate.
create table account (
    id bigint primary key,
    currency char(3) not null check (currency = any (array['EUR', 'USD', 'JPY'])),
    opened date not null check (opened >= date '2000-01-01'),
    closed date,
    balance numeric(14, 2) not null default 0,
    overdraft money not null default 0,
    check (closed is null or closed > opened)
);
create table transfer (
    id bigint primary key,
    debit bigint not null references account,
    credit bigint not null references account,
    amount numeric(12, 2) not null check (amount > 0),
    memo text check (btrim(memo) <> ''),
    status varchar(10) not null default 'pending' check (status in ('pending', 'booked', 'void')),
    check (debit <> credit)
);
