from django.urls import path

from . import views

app_name = "law"

urlpatterns = [
    path("", views.LawListView.as_view(), name="law_list"),
    # Before the law slugs: no law is called "sources".
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("<slug:law_slug>/", views.LawDetailView.as_view(), name="law_detail"),
    path("<slug:law_slug>/<int:number>/", views.LawArticleDetailView.as_view(), name="article_detail"),
]
