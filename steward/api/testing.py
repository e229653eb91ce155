"""A JSON client for API tests: the Django test client with one user's bearer token."""

PREFIX = "/api/v1"


class ApiClient:
    def __init__(self, client, headers=None):
        self.client = client
        self.headers = headers or {}

    def get(self, path, params=None):
        return self.client.get(PREFIX + path, params or {}, **self.headers)

    def post(self, path, json=None):
        return self.client.post(PREFIX + path, json or {}, content_type="application/json", **self.headers)

    def patch(self, path, json=None):
        return self.client.patch(PREFIX + path, json or {}, content_type="application/json", **self.headers)

    def put(self, path, json=None):
        return self.client.put(PREFIX + path, json or {}, content_type="application/json", **self.headers)

    def delete(self, path, json=None):
        return self.client.delete(PREFIX + path, json or {}, content_type="application/json", **self.headers)

    def upload(self, path, **files):
        """POST multipart/form-data, e.g. upload("/tickets/1001/attachments", file=SimpleUploadedFile(...))."""
        return self.client.post(PREFIX + path, files, **self.headers)
