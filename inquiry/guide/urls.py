from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("", views.GuideIndexView.as_view(), name="index"),
    path("<slug:flow_slug>/", views.FlowStartView.as_view(), name="start"),
    path("<slug:flow_slug>/result/<slug:outcome_slug>/", views.OutcomeView.as_view(), name="outcome"),
    path("<slug:flow_slug>/<slug:question_slug>/", views.QuestionView.as_view(), name="question"),
    path("<slug:flow_slug>/<slug:question_slug>/answer/", views.AnswerView.as_view(), name="answer"),
]
