from oit.management.commands._catalogue import CatalogueCommand
from oit.readiness.data_import import load_portal_pages


class Command(CatalogueCommand):
    help = "Load which of the portal's public pages answers which OIT item of a fiscal year (item,page CSV)."
    loader = load_portal_pages
    what = "portal pages for OIT items"
