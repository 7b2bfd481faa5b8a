from oit.catalogue_import import load_grades
from oit.management.commands._catalogue import CatalogueCommand


class Command(CatalogueCommand):
    help = "Load a fiscal year's grade bands (grade,min_score,passing). Idempotent."
    loader = load_grades
    what = "grade bands"
