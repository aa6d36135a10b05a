-- A product catalogue: enums, domains over text and numeric with CHECKs, arrays of text, of
-- integers and of an enum, and a unique key on a domain column.
CREATE TYPE product_status AS ENUM ('draft', 'active', 'discontinued');
CREATE TYPE colour AS ENUM ('red', 'green', 'blue', 'black', 'white');
CREATE DOMAIN sku_code AS varchar(12) CONSTRAINT sku_code_format CHECK (VALUE ~ '^[A-Z]{3}-[0-9]{4,8}$');
CREATE DOMAIN price AS numeric(10, 2) CONSTRAINT price_nonneg CHECK (VALUE >= 0);
CREATE DOMAIN percent AS smallint NOT NULL DEFAULT 0 CONSTRAINT percent_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE DOMAIN tag AS text CONSTRAINT tag_format CHECK (VALUE ~ '^[a-z0-9-]{1,20}$');

CREATE TABLE brands (
    brand_id  integer PRIMARY KEY,
    name      varchar(60) NOT NULL CONSTRAINT brands_name_key UNIQUE,
    countries char(2)[] NOT NULL DEFAULT '{}'
);

CREATE TABLE products (
    product_id  integer PRIMARY KEY,
    sku         sku_code NOT NULL CONSTRAINT products_sku_key UNIQUE,
    brand_id    integer CONSTRAINT products_brand_fk REFERENCES brands (brand_id),
    name        text NOT NULL CONSTRAINT products_name_length CHECK (length(name) <= 200),
    status      product_status NOT NULL DEFAULT 'draft',
    list_price  price NOT NULL,
    discount    percent,
    colours     colour[] NOT NULL DEFAULT '{}',
    tags        text[] CONSTRAINT products_tags_limit CHECK (cardinality(tags) <= 10),
    sizes       integer[],
    weight_g    real CONSTRAINT products_weight_positive CHECK (weight_g > 0),
    released_on date
);

CREATE TABLE variants (
    product_id integer NOT NULL CONSTRAINT variants_product_fk REFERENCES products (product_id) ON DELETE CASCADE,
    variant_no smallint NOT NULL,
    colour     colour NOT NULL,
    extra      price,
    stock      integer NOT NULL DEFAULT 0 CONSTRAINT variants_stock_nonneg CHECK (stock >= 0),
    CONSTRAINT variants_pkey PRIMARY KEY (product_id, variant_no),
    CONSTRAINT variants_colour_key UNIQUE (product_id, colour)
);

CREATE TABLE product_tags (
    product_id integer NOT NULL CONSTRAINT product_tags_product_fk REFERENCES products (product_id),
    tag        tag NOT NULL,
    CONSTRAINT product_tags_pkey PRIMARY KEY (product_id, tag)
);
