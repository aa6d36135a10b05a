-- A Supabase project's first migration: profiles keyed by auth.users, readable by everyone and
-- written by their owner (auth.uid()), and a trigger on auth.users that gives every new user a
-- profile. It runs with pgprop's Supabase preset (-Dpgprop.preset=supabase), as on Supabase.
create table public.profiles (
  id uuid not null references auth.users on delete cascade,
  username text unique check (char_length(username) >= 3),
  full_name text,
  avatar_url text,
  updated_at timestamptz default now(),
  primary key (id)
);

alter table public.profiles enable row level security;

create policy "Public profiles are viewable by everyone." on public.profiles
  for select using (true);
create policy "Users can insert their own profile." on public.profiles
  for insert with check ((select auth.uid()) = id);
create policy "Users can update own profile." on public.profiles
  for update using ((select auth.uid()) = id);

-- Every new user gets a profile. A deferred constraint trigger: a transaction that inserts a user
-- and its profile keeps its own, the others get one from the user's metadata at commit.
create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.id is not null and not exists (select 1 from public.profiles p where p.id = new.id) then
    insert into public.profiles (id, full_name, avatar_url)
    values (new.id, new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'avatar_url');
  end if;
  return new;
end;
$$;

create constraint trigger on_auth_user_created
  after insert on auth.users deferrable initially deferred
  for each row execute procedure public.handle_new_user();
