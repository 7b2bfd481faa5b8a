from oit.catalogue_import import load_measure_items
from oit.management.commands._catalogue import CatalogueCommand


class Command(CatalogueCommand):
    help = (
        "Link a fiscal year's measures to the OIT items they answer (measure,items: e.g. 1.1,O42 O43). "
        "The year's links become exactly the file's. Idempotent."
    )
    loader = load_measure_items
    what = "measure–item links"
