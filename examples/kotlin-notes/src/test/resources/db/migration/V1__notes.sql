-- Notes with tags; a note's tags go with it, and a tag name is unique per note.
create table note (
    id   int primary key,
    body text not null check (length(body) between 1 and 500)
);

create table tag (
    note_id int not null references note (id) on delete cascade,
    name    text not null check (name = lower(name)),
    primary key (note_id, name)
);
