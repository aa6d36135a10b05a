-- Mutant: the quantity range is widened to allow 0.
alter table allocations drop constraint allocations_quantity_range;
alter table allocations add constraint allocations_quantity_range check (quantity between 0 and 1000);
