-- Schema version 1, step 2: the applications of the first slice (client_id required, no valid_from/approver)
-- copied into the new table; an approved one was in force from its decision day, decided by its provider.
insert into applications_new (application_id, client_id, department, resource_code, provider, "columns", row_filter,
                              purpose, legal_basis, valid_until, status, reason, applied_on, decided_on, valid_from,
                              approver)
select application_id, client_id, department, resource_code, provider, "columns", row_filter, purpose, legal_basis,
       valid_until, status, reason, applied_on, decided_on,
       case when status = 'approved' then decided_on end,
       case when status = 'approved' then provider end
from applications
