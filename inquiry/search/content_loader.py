from inquiry.core.shipped import content_dir, read_yaml

from .models import Recommendation


def load(loader):
    data = read_yaml(content_dir(__file__) / "recommendations.yaml")
    for order, item in enumerate(data.get("recommendations", [])):
        loader.sync(
            f"search:recommendation:{item['page']}",
            Recommendation,
            {"page": item["page"]},
            {"words": item["words"], "order": order},
        )
