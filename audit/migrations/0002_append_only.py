from django.db import migrations

# PostgreSQL refuses to change or delete an administrator's change, whoever asks (the ORM, the admin, raw
# SQL). SQLite gets no trigger (Django's table rebuilds would drop it silently): the model refuses there.
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The history in % is append-only: % refused.', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_adminchange_append_only
    BEFORE UPDATE OR DELETE ON audit_adminchange
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS audit_adminchange_append_only ON audit_adminchange;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def not_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(append_only, not_append_only)]
