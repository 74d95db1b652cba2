"""SQLite only: the FTS5 trigram index of product names and SKUs, with the triggers that keep it current.

PostgreSQL's search is served by migration 0004's pg_trgm indexes. The SQL lives in
``b2b_cabinet.models.product_search``, which also re-creates missing triggers after every migrate.
"""

from django.db import migrations


def create(apps, schema_editor):
    from b2b_cabinet.models import product_search

    product_search.ensure(schema_editor.connection)


def drop(apps, schema_editor):
    from b2b_cabinet.models import product_search

    product_search.drop(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('b2b_cabinet', '0008_offer_state'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
