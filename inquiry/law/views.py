from django.utils.translation import get_language
from django.views.generic import ListView, TemplateView

from inquiry.core.absolute import absolute_url
from inquiry.core.text_size import normal_size

from .citations import citing_pages
from .models import Law, Source
from .selectors import law_article, law_with_chapters, neighbours
from .structured_data import legislation


class LawListView(ListView):
    template_name = "law/law_list.html"
    context_object_name = "laws"

    def get_queryset(self):
        return Law.objects.all()


class SourceListView(TemplateView):
    """Every source the answers cite besides the law texts, grouped by how far it can be trusted."""

    template_name = "law/source_list.html"

    def get_context_data(self, **kwargs):
        sources = list(Source.objects.order_by("strength", "slug"))
        groups = [
            (strength, label, [source for source in sources if source.strength == strength])
            for strength, label in Source.Strength.choices
        ]
        return super().get_context_data(groups=[group for group in groups if group[2]], **kwargs)


class LawDetailView(TemplateView):
    template_name = "law/law_detail.html"

    def get_context_data(self, **kwargs):
        law = law_with_chapters(self.kwargs["law_slug"])
        return super().get_context_data(law=law, **kwargs)


class LawArticleDetailView(TemplateView):
    template_name = "law/article_detail.html"

    def get_context_data(self, **kwargs):
        article = law_article(self.kwargs["law_slug"], self.kwargs["number"])
        previous, following = neighbours(article)
        structured = legislation(
            article,
            url=absolute_url(self.request, normal_size(article.get_absolute_url())),
            law_url=absolute_url(self.request, normal_size(article.law.get_absolute_url())),
            language=get_language(),
        )
        return super().get_context_data(
            article=article,
            structured_data=structured,
            law=article.law,
            previous=previous,
            following=following,
            citing=citing_pages(article),
            **kwargs,
        )
