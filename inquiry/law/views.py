from django.utils.translation import get_language
from django.views.generic import ListView, TemplateView

from .citations import citing_pages
from .models import Law
from .selectors import law_article, law_with_chapters, neighbours
from .structured_data import legislation


class LawListView(ListView):
    template_name = "law/law_list.html"
    context_object_name = "laws"

    def get_queryset(self):
        return Law.objects.all()


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
            url=self.request.build_absolute_uri(article.get_absolute_url()),
            law_url=self.request.build_absolute_uri(article.law.get_absolute_url()),
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
