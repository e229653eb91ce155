from django.db import migrations

from steward.core.compression import compress_with_lz4


class Migration(migrations.Migration):
    dependencies = [("mail", "0005_claim_reads_pending_in_index_order")]

    operations = [compress_with_lz4("mail_outboundmessage", "body", "html")]
