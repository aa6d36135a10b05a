-- Applied first: the Supabase CLI orders migrations by their timestamp.
create table public.accounts (id uuid primary key references auth.users (id) on delete cascade);
