from steward.desk.views import calls, queue, ticket

app_name = "desk"

# Each view module lists its own routes, so the queue, the ticket page and calls grow independently.
urlpatterns = [*queue.urls, *ticket.urls, *calls.urls]
