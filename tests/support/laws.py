"""A small law in the JSON shape `import_law` reads, for tests that need one whatever is beside the checkout."""

import json


def small_law(**overrides):
    data = {
        "title_zh": "测试法",
        "title_en": "Test Law of the People's Republic of China",
        "version": "2026 test version",
        "source_zh": "测试来源",
        "source_en": "test source",
        "articles": [
            {
                "number": 1,
                "label_zh": "第一条",
                "label_en": "Article 1",
                "chapter_zh": "第一章 总则",
                "chapter_en": "Chapter I General Provisions",
                "text_zh": "第一段。\n第二段。",
                "text_en_unofficial": "First paragraph.\nSecond paragraph.",
            },
            {
                "number": 2,
                "label_zh": "第二条",
                "chapter_zh": "第二章 附则",
                "text_zh": "只有中文。",
            },
        ],
    }
    data.update(overrides)
    return data


def write(tmp_path, data, name="law.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
