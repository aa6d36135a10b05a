-- Mutant: the payments policy lets every role subject to it read every payment.
drop policy payments_owner_select on payments;
create policy payments_owner_select on payments
  for select
  using (true);
