-- Mutant: payments no longer reference their allocation.
alter table payments drop constraint payments_allocation_fk;
