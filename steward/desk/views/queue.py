from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def queue(request):
    return render(request, "core/home.html")


urls = [path("", queue, name="queue")]
