from inquiry.core.shipped import content_dir, read_yaml

from .models import Recommendation, SynonymGroup


def load(loader):
    folder = content_dir(__file__)
    data = read_yaml(folder / "recommendations.yaml")
    for order, item in enumerate(data.get("recommendations", [])):
        loader.sync(
            f"search:recommendation:{item['page']}",
            Recommendation,
            {"page": item["page"]},
            {"words": item["words"], "order": order},
        )
    for item in read_yaml(folder / "synonyms.yaml").get("synonyms", []):
        terms = " ".join(str(item["terms"]).split())
        loader.sync(
            f"search:synonyms:{terms}",
            SynonymGroup,
            {"terms": terms},
            {"language": item.get("language", ""), "note": item.get("note", "")},
        )
