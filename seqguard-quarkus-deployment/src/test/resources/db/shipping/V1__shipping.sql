-- As Hibernate's schema export writes it: no OWNED BY, no DEFAULT.
create sequence Shipment_SEQ start with 1 increment by 50;
create table Shipment (id bigint not null, destination varchar(255), primary key (id));
insert into Shipment (id, destination) select g, 'copied ' || g from generate_series(1, 260) g;
