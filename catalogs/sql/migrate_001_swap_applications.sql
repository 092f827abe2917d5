-- Schema version 1, step 3: the new applications table takes the old one's place.
drop table applications;
alter table applications_new rename to applications
