-- The organizations whose rows a kept source document holds, when it is not one organization's
-- (an upload can hold several): a document belongs to source_document.organization_id and to every
-- organization listed here. Its records are listed by their own organization whatever document they
-- came from; its original is shown whole only to a user who may see every one of these
-- organizations (lib/store/scope.py).
CREATE TABLE document_organization (
    document_id INTEGER NOT NULL REFERENCES source_document(id),
    organization_id INTEGER NOT NULL REFERENCES organization(id),
    PRIMARY KEY (document_id, organization_id)
);
-- Uploads kept before this table: which organizations their unchanged rows named was not recorded,
-- so each is taken to hold every organization (only a user who sees all of them sees it whole);
-- other documents get the organizations of the records and reports that came from them.
INSERT INTO document_organization (document_id, organization_id)
SELECT DISTINCT document_id, organization_id FROM (
    SELECT d.id AS document_id, o.id AS organization_id FROM source_document d, organization o
    WHERE d.layout LIKE 'template%'
    UNION SELECT document_id, organization_id FROM plan_item
    UNION SELECT document_id, organization_id FROM measure
    UNION SELECT document_id, organization_id FROM plan_item_replaced
    UNION SELECT document_id, organization_id FROM measure_replaced
    UNION SELECT g.document_id, r.organization_id FROM progress g JOIN plan_item r
        ON g.record_kind = 'plan_item' AND r.id = g.record_id WHERE g.document_id IS NOT NULL
    UNION SELECT g.document_id, r.organization_id FROM progress g JOIN measure r
        ON g.record_kind = 'measure' AND r.id = g.record_id WHERE g.document_id IS NOT NULL
) x;
