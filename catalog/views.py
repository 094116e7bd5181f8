"""The public catalog page: readable without logging in (HN 11 requires the catalog to be published)."""
from django.views.generic import TemplateView

from . import selectors


class PublicCatalogView(TemplateView):
    template_name = "catalog/public_catalog.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = selectors.catalog_published()
        context.update(
            version=version,
            items=selectors.catalog_items(version=version) if version else [],
            measure_lists=selectors.measure_lists_published(),
            standards=selectors.standards_published(),
        )
        return context
