from oit.catalogue_import import load_indicators
from oit.management.commands._catalogue import CatalogueCommand


class Command(CatalogueCommand):
    help = "Load a fiscal year's ITA indicator table (number,group,name_th[,name_en]): the official names and IIT/EIT/OIT groups. Idempotent."
    loader = load_indicators
    what = "ITA indicator table"
