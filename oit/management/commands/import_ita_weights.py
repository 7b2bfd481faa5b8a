from oit.catalogue_import import load_weights
from oit.management.commands._catalogue import CatalogueCommand


class Command(CatalogueCommand):
    help = "Load a fiscal year's scoring weights per ITA group (group,weight in percent, adding up to 100). Idempotent."
    loader = load_weights
    what = "scoring weights"
