"""A deterministic synthetic content folder of N Vietnamese articles, for benchmarks and scale tests.

The articles look like the Department's: the three campaigns over several years, the four
offices, tags, headings, lists, shared SVG images (as covers and in the body), links to other
generated articles with a `#heading` fragment that exists, and external links. The text is drawn
from a vocabulary of real Vietnamese sentences on the campaign themes. The same (n, seed) always
gives the same bytes, so a benchmark run and a test see the same corpus.

    python -m benchmarks.corpus 2000 /tmp/corpus     # writes /tmp/corpus/content
"""

from __future__ import annotations

import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.vietnamese.text import slugify

REPO_DATA = Path(__file__).resolve().parent.parent / "content" / "_data"

CAMPAIGNS = ("ngay-nuoc-the-gioi", "ngay-khi-tuong-the-gioi", "gio-trai-dat")
CAMPAIGN_DAY = {"ngay-nuoc-the-gioi": 22, "ngay-khi-tuong-the-gioi": 23, "gio-trai-dat": 25}
DEPARTMENTS = ("phong-quan-ly-cong-nghiep", "phong-quan-ly-nang-luong", "van-phong-so", "trung-tam-khuyen-cong")
YEARS = tuple(range(2019, 2027))

SUBJECTS = {
    "ngay-nuoc-the-gioi": ("Ngày Nước thế giới", "tài nguyên nước", "nước sạch", "nguồn nước ngầm",
                           "hồ chứa nước", "nước sinh hoạt"),
    "ngay-khi-tuong-the-gioi": ("Ngày Khí tượng thế giới", "cảnh báo sớm thiên tai", "thông tin khí hậu",
                                "dự báo thời tiết", "quan trắc khí tượng", "nắng nóng kéo dài"),
    "gio-trai-dat": ("Chiến dịch Giờ Trái đất", "tiết kiệm điện", "năng lượng tái tạo", "điện mặt trời mái nhà",
                     "chiếu sáng công cộng", "phát thải khí nhà kính"),
}
ACTIONS = ("Hưởng ứng", "Tuyên truyền về", "Triển khai kế hoạch", "Tổng kết hoạt động", "Hội nghị bàn về",
           "Nâng cao nhận thức về", "Doanh nghiệp chung tay vì", "Sáng kiến mới về", "Tập huấn về",
           "Kết quả thực hiện")
PLACES = ("Phan Thiết", "La Gi", "Tuy Phong", "Bắc Bình", "Hàm Thuận Bắc", "Hàm Thuận Nam", "Hàm Tân",
          "Đức Linh", "Tánh Linh", "Phú Quý")

SENTENCES = (
    "Nước là tài nguyên đặc biệt quan trọng, là thành phần thiết yếu của sự sống và môi trường.",
    "Bình Thuận là một trong những địa phương khô hạn nhất cả nước, lượng mưa thấp và phân bố không đều.",
    "Các doanh nghiệp trong khu công nghiệp được khuyến khích tái sử dụng nước thải sau xử lý.",
    "Mỗi người dân có thể tiết kiệm nước bằng những việc nhỏ như khóa vòi khi không sử dụng.",
    "Sở Công Thương đề nghị các đơn vị lồng ghép nội dung tuyên truyền vào các cuộc họp giao ban.",
    "Biến đổi khí hậu làm cho các hiện tượng thời tiết cực đoan xuất hiện thường xuyên hơn.",
    "Thông tin dự báo chính xác giúp người dân và doanh nghiệp chủ động ứng phó với thiên tai.",
    "Hệ thống cảnh báo sớm cần đến được với mọi người, kể cả người dân vùng sâu, vùng xa.",
    "Ngành khí tượng thủy văn đã hiện đại hóa mạng lưới trạm quan trắc tự động trên địa bàn tỉnh.",
    "Trong một giờ tắt đèn, lượng điện tiết kiệm được tuy nhỏ nhưng ý nghĩa lan tỏa rất lớn.",
    "Các cơ quan, công sở tắt các thiết bị điện không cần thiết từ 20 giờ 30 đến 21 giờ 30.",
    "Điện mặt trời mái nhà giúp giảm chi phí tiền điện và giảm phát thải khí nhà kính.",
    "Sử dụng năng lượng tiết kiệm và hiệu quả là trách nhiệm của toàn xã hội.",
    "Công chức, viên chức và người lao động của Sở đã ký cam kết thực hiện tiết kiệm điện.",
    "Bảng điện tử tại trụ sở Sở trình chiếu thông điệp hưởng ứng trong suốt tuần lễ chiến dịch.",
    "Trung tâm Khuyến công hỗ trợ các cơ sở công nghiệp nông thôn đổi mới công nghệ sản xuất sạch hơn.",
    "Việc thay thế đèn chiếu sáng cũ bằng đèn LED giúp giảm đáng kể lượng điện tiêu thụ.",
    "Người dân được hướng dẫn cách trữ nước mưa phục vụ sinh hoạt trong mùa khô.",
    "Các hồ chứa nước trên địa bàn tỉnh được vận hành theo quy trình liên hồ chứa.",
    "Hoạt động đạp xe, đi bộ vì môi trường thu hút đông đảo đoàn viên thanh niên tham gia.",
    "Nhà trường phối hợp tổ chức cuộc thi vẽ tranh về chủ đề bảo vệ nguồn nước cho học sinh.",
    "Sở đề nghị các doanh nghiệp kiểm toán năng lượng định kỳ theo quy định của pháp luật.",
    "Những con số thống kê cho thấy mức tiêu thụ điện trong giờ cao điểm đã giảm so với năm trước.",
    "Chiến dịch không chỉ diễn ra trong một giờ mà cần trở thành thói quen hằng ngày của mỗi người.",
    "Ô nhiễm nguồn nước ảnh hưởng trực tiếp đến sức khỏe cộng đồng và sản xuất nông nghiệp.",
    "Các đơn vị báo cáo kết quả thực hiện về Phòng Quản lý Công nghiệp để tổng hợp.",
    "Nắng nóng kéo dài làm tăng nhu cầu sử dụng điện và nước trong các khu dân cư.",
    "Việc chia sẻ thông tin thời tiết, khí hậu giữa các ngành giúp quy hoạch phát triển bền vững hơn.",
)
HEADINGS = (
    "Mục đích và yêu cầu", "Nội dung tuyên truyền", "Các hoạt động hưởng ứng", "Kết quả đạt được",
    "Vai trò của nước", "Thông điệp của chiến dịch", "Tổ chức thực hiện", "Kinh nghiệm từ các địa phương",
    "Những việc làm thiết thực", "Khó khăn và giải pháp", "Kiến nghị, đề xuất", "Ý kiến của người dân",
    "Sự tham gia của doanh nghiệp", "Tiết kiệm điện tại công sở", "Cảnh báo sớm cho mọi người",
    "Số liệu quan trắc", "Hướng dẫn cho hộ gia đình", "Kế hoạch năm tới",
)
LIST_ITEMS = (
    "Tắt đèn và các thiết bị điện không cần thiết", "Khóa chặt vòi nước sau khi sử dụng",
    "Sử dụng thiết bị có nhãn tiết kiệm năng lượng", "Tái sử dụng nước rửa rau để tưới cây",
    "Theo dõi bản tin dự báo thời tiết hằng ngày", "Trồng thêm cây xanh quanh trụ sở",
    "Không xả rác xuống sông, hồ, kênh mương", "Điều chỉnh điều hòa ở mức 26 độ C trở lên",
    "Kiểm tra, sửa chữa đường ống rò rỉ", "Chia sẻ thông điệp trên mạng xã hội",
)
TAGS = (
    "tài nguyên nước", "nước sạch", "biến đổi khí hậu", "tiết kiệm năng lượng", "năng lượng tái tạo",
    "tiết kiệm điện", "cảnh báo sớm", "khí tượng thủy văn", "môi trường", "doanh nghiệp",
    "khuyến công", "sản xuất sạch hơn", "điện mặt trời", "thanh niên", "tuyên truyền", "công sở xanh",
    "hạn hán", "phát triển bền vững", "Phan Thiết", "học sinh",
)
EXTERNAL = (
    "https://www.unwater.org/", "https://wmo.int/", "https://www.earthhour.org/", "https://www.un.org/en/",
    "https://moit.gov.vn/", "https://monre.gov.vn/", "https://www.binhthuan.gov.vn/",
)
IMAGES = {
    "giot-nuoc.svg": ("#1f6fb2", "Giọt nước xanh trên nền trắng"),
    "dam-may.svg": ("#6b7c93", "Đám mây và tia nắng"),
    "qua-dia-cau.svg": ("#2e7d32", "Quả địa cầu và công tắc đèn"),
    "bong-den.svg": ("#f9a825", "Bóng đèn tiết kiệm điện"),
    "tam-pin.svg": ("#37474f", "Tấm pin năng lượng mặt trời"),
}
PAGES = {
    "gioi-thieu": ("Giới thiệu", "Chuyên trang hưởng ứng các ngày môi trường của Sở Công Thương."),
    "lien-he": ("Liên hệ", "Thông tin liên hệ của Văn phòng Sở."),
    "tai-lieu-tuyen-truyen": ("Tài liệu tuyên truyền", "Tài liệu, khẩu hiệu và ấn phẩm của các chiến dịch."),
}


@dataclass(frozen=True)
class _Plan:
    """What other articles need to know about one article before any body is written."""

    path: str  # content-relative
    title: str
    headings: tuple[str, ...]


def write_corpus(root: Path, n: int, seed: int = 0) -> Path:
    """Write a complete content folder with n articles under root / "content" and return it."""
    rng = random.Random(seed)
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    # the Department's own data (site, campaigns, offices, identity, documents, plans) and the
    # document files it names, so every page kind of the real site is in the corpus too
    shutil.copytree(REPO_DATA, content / "_data")
    shutil.copytree(REPO_DATA.parent / "van-ban", content / "van-ban")
    _write_images(content / "anh")
    _write_pages(content / "pages")
    plans = [_plan(rng, i) for i in range(n)]
    for i, plan in enumerate(plans):
        target = content / plan.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_article(rng, i, plan, plans), encoding="utf-8")
    return content


def _plan(rng: random.Random, i: int) -> _Plan:
    campaign = CAMPAIGNS[i % len(CAMPAIGNS)]
    year = YEARS[rng.randrange(len(YEARS))]
    subject = rng.choice(SUBJECTS[campaign])
    title = f"{rng.choice(ACTIONS)} {subject} tại {rng.choice(PLACES)} năm {year}"
    headings = tuple(rng.sample(HEADINGS, rng.randint(3, 5)))
    return _Plan(f"bai-viet/{year}/{slugify(title)}-{i:05d}.md", title, headings)


def _article(rng: random.Random, i: int, plan: _Plan, plans: list[_Plan]) -> str:
    campaign = CAMPAIGNS[i % len(CAMPAIGNS)]
    year = int(plan.path.split("/")[1])
    day = min(31, max(1, CAMPAIGN_DAY[campaign] + rng.randint(-10, 6)))
    front = [
        f'title: "{plan.title}"',
        f"date: {year}-03-{day:02d} {rng.randint(7, 17):02d}:{rng.choice((0, 15, 30, 45)):02d}",
        f"campaign: {campaign}",
        f"department: {DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]}",
        f"slug: {Path(plan.path).stem}",
        f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 4)))}]",
        f'summary: "{rng.choice(SENTENCES)}"',
    ]
    if rng.random() < 0.6:
        image = rng.choice(sorted(IMAGES))
        front += [f"cover: ../../anh/{image}", f'cover_alt: "{IMAGES[image][1]}"']
    return "---\n" + "\n".join(front) + "\n---\n\n" + _body(rng, plan, plans)


def _body(rng: random.Random, plan: _Plan, plans: list[_Plan]) -> str:
    blocks = [_paragraph(rng, 3)]
    for number, heading in enumerate(plan.headings):
        blocks.append(f"## {heading}")
        blocks.append(_paragraph(rng, rng.randint(2, 4)))
        if number == 0:
            blocks.append("\n".join(f"- {item}" for item in rng.sample(LIST_ITEMS, rng.randint(3, 5))))
        elif number == 1:
            blocks.append("\n".join(f"{k}. {item}" for k, item in enumerate(rng.sample(LIST_ITEMS, 3), 1)))
            image = rng.choice(sorted(IMAGES))
            blocks.append(f"![{IMAGES[image][1]}](../../anh/{image})")
        elif len(plans) > 1:
            blocks.append(_cross_link(rng, plan, plans))
    blocks.append(f"Xem thêm thông tin tại [trang của tổ chức phát động]({rng.choice(EXTERNAL)}).")
    return "\n\n".join(blocks) + "\n"


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def _cross_link(rng: random.Random, plan: _Plan, plans: list[_Plan]) -> str:
    other = plan
    while other is plan:
        other = plans[rng.randrange(len(plans))]
    relative = "../" + "/".join(other.path.split("/")[1:])  # both live in bai-viet/<year>/
    fragment = slugify(rng.choice(other.headings))
    return f"{rng.choice(SENTENCES)} Xem thêm bài [{other.title}]({relative}#{fragment})."


def _write_images(folder: Path) -> None:
    folder.mkdir(parents=True)
    for name, (colour, alt) in IMAGES.items():
        (folder / name).write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630" role="img">'
            f"<title>{alt}</title><rect width=\"1200\" height=\"630\" fill=\"#f5f7fa\"/>"
            f'<circle cx="600" cy="315" r="200" fill="{colour}"/></svg>\n', encoding="utf-8")


def _write_pages(folder: Path) -> None:
    folder.mkdir(parents=True)
    for order, (slug, (title, summary)) in enumerate(PAGES.items(), 1):
        (folder / f"{slug}.md").write_text(
            f'---\ntitle: "{title}"\nsummary: "{summary}"\nmenu: true\norder: {order}\n---\n\n'
            f"{summary} {SENTENCES[order]}\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("cách dùng: python -m benchmarks.corpus SỐ_BÀI THƯ_MỤC", file=sys.stderr)
        return 2
    print(write_corpus(Path(argv[1]), int(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
