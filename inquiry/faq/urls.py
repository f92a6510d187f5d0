from django.urls import path

from . import views

app_name = "faq"

urlpatterns = [
    path("", views.FaqIndexView.as_view(), name="index"),
    path("topic/<slug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
]
