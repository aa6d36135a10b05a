-- A lending library: books with a number of copies on the shelf, and loans of them.
create table book (
    id     int primary key,
    title  text not null check (length(title) > 0),
    copies int not null check (copies >= 0)
);

create table loan (
    id       bigint generated always as identity primary key,
    book_id  int not null references book (id),
    borrower text not null,
    returned boolean not null default false
);

-- Takes a copy off the shelf and records the loan; refuses when none is left.
create function borrow(p_book int, p_borrower text) returns bigint
language plpgsql as $$
declare
    v_loan bigint;
begin
    update book set copies = copies - 1 where id = p_book and copies > 0;
    if not found then
        raise exception 'no copy of book % is left', p_book;
    end if;
    insert into loan (book_id, borrower) values (p_book, p_borrower) returning id into v_loan;
    return v_loan;
end $$;
