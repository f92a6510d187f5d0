from django.urls import path

from . import views

app_name = "cards"

urlpatterns = [
    path("", views.CardView.as_view(), name="card"),
    path("procedures/<slug:slug>/", views.ProcedureDetailView.as_view(), name="procedure_detail"),
]
