"""oit's answers to the plan's questions (measures.catalogue), registered in OitConfig.ready()."""

from measures.catalogue import ItemRef, OfficialIndicator
from oit.models import ITAIndicator, MeasureItem


class OitCatalogue:
    def indicator_table(self, year: int) -> dict[int, OfficialIndicator]:
        return {
            row.number: OfficialIndicator(row.number, row.group, row.name_th, row.name_en)
            for row in ITAIndicator.objects.filter(fiscal_year__year=year)
        }

    def items_by_measure(self, measure_ids) -> dict[int, list[ItemRef]]:
        """One query for all the measures."""
        found: dict[int, list[ItemRef]] = {}
        links = (
            MeasureItem.objects.filter(measure_id__in=measure_ids)
            .select_related("item")
            .order_by("item__order")
        )
        for link in links:
            found.setdefault(link.measure_id, []).append(ItemRef(link.item.code, link.item.name))
        return found
