create table account (
    id      int primary key,
    owner   text not null,
    balance int not null check (balance >= 0)
);
create table transfer (
    id     int primary key,
    source int not null references account (id),
    amount int not null check (amount > 0)
);
