from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("<slug:kind>/<int:object_id>/", views.FeedbackView.as_view(), name="give"),
    path("<slug:kind>/<int:object_id>/thanks/", views.ThanksView.as_view(), name="thanks"),
]
