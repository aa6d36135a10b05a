-- A storage-like schema: buckets, and objects owned by users; objects of public buckets are
-- readable by anyone, the owner manages their own.
create schema if not exists storage;
grant usage on schema storage to anon, authenticated, service_role;

create table storage.buckets (
  id text primary key,
  name text not null unique,
  public boolean not null default false,
  created_at timestamptz default now()
);

create table storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text not null references storage.buckets (id),
  name text not null,
  owner uuid references auth.users (id) on delete set null,
  metadata jsonb,
  created_at timestamptz not null default now(),
  unique (bucket_id, name)
);

alter table storage.objects enable row level security;

grant select on storage.buckets to anon, authenticated, service_role;
grant all on storage.objects to authenticated, service_role;

create policy "Anyone reads the objects of public buckets." on storage.objects
  for select using (exists (select 1 from storage.buckets b where b.id = bucket_id and b.public));
create policy "Owners manage their objects." on storage.objects
  for all to authenticated using ((select auth.uid()) = owner) with check ((select auth.uid()) = owner);
