-- Mutant: the CHECK that keeps allocated <= on_hand is gone.
alter table inventory drop constraint inventory_not_oversold;
