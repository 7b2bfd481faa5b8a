from oit.catalogue_import import load_items
from oit.management.commands._catalogue import CatalogueCommand


class Command(CatalogueCommand):
    help = "Load a fiscal year's OIT items (code,indicator,subindicator,name_th[,name_en]) in the ITA's order. Idempotent; items no longer in the file are deleted with their links to measures."
    loader = load_items
    what = "OIT items"
