from oit.management.commands._catalogue import CatalogueCommand
from oit.readiness.data_import import load_window


class Command(CatalogueCommand):
    help = "Load the dates a fiscal year's OIT items are answered in ITAS (opens,closes CSV)."
    loader = load_window
    what = "OIT answering window"
