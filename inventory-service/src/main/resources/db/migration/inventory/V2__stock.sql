-- Stock per SKU. available + reserved + sold never changes for a SKU: prepare moves units from available to
-- reserved, commit from reserved to sold, abort back to available.
create table stock (
    sku        varchar(64)    not null primary key,
    unit_price decimal(19, 2) not null check (unit_price >= 0),
    available  int            not null check (available >= 0),
    reserved   int            not null check (reserved >= 0),
    sold       int            not null check (sold >= 0),
    version    bigint         not null
);

-- Demo data, seeded once with the schema (a restart does not seed again).
insert into stock (sku, unit_price, available, reserved, sold, version) values
    ('WIDGET', 2.50, 100, 0, 0, 0),
    ('GADGET', 25.00, 10, 0, 0, 0),
    ('GIZMO', 400.00, 3, 0, 0, 0);
