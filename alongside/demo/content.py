"""The demo world: fictional groups, communities, people and texts that feel real.

Every person here is invented. Places are real (the villages the movement stands beside), the
committees' words are not. Emails use the reserved `example.org` / `.example` domains so that
nothing is ever sent to a real inbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "alongside-demo"
DEMO_EMAIL_DOMAIN = "demo.alongside.example"

# Fixed TOTP secrets (base32), printed in the README so that anyone trying the demo can add them
# to an authenticator app. Demo only: never reuse them anywhere real.
CORE_TOTP_SECRET = "ALONGSIDECOREDEMOSECRETNORCAL234"
DOCUMENTER_TOTP_SECRET = "ALONGSIDEDOCUMENTERDEMOSECRET234"
OUTSIDER_TOTP_SECRET = "ALONGSIDEOUTSIDERDEMOLONDON23456"
ADMIN_TOTP_SECRET = "ALONGSIDEADMINDEMOSECRET234567AA"
COORDINATOR_TOTP_SECRET = "ALONGSIDECOORDINATORDEMOSECRET23"


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


# --- groups --------------------------------------------------------------------------------

GROUPS: list[dict[str, Any]] = [
    {
        "slug": "palestine",
        "kind": "field",
        "name_en": "Field team in Palestine",
        "name_ar": "الفريق الميداني في فلسطين",
        "region_en": "The occupied West Bank, Palestine",
        "region_ar": "الضفة الغربية المحتلة، فلسطين",
        "countries": ["PS"],
        "languages": ["ar", "en"],
        "summary_en": (
            "Palestinian and international volunteers on the ground, invited by Palestinian "
            "communities: olive harvests, school runs, weekly demonstrations, homes under threat."
        ),
        "summary_ar": (
            "متطوعون فلسطينيون ودوليون في الميدان بدعوة من المجتمعات الفلسطينية: موسم قطف "
            "الزيتون، ومرافقة الأطفال إلى المدارس، والمظاهرات الأسبوعية، والبيوت المهددة."
        ),
        "description_en": (
            "The field team coordinates every action on the ground with the Palestinian "
            "communities that invite us. Its core members are the field coordinators: they "
            "match each invitation with volunteers, keep the roster and watch over everyone's "
            "safety.\n\n"
            "- **Direct action**: weekly demonstrations against land confiscation, accompanying "
            "farmers to their land, staying with families under threat.\n"
            "- **Documentation**: recording human-rights violations, case by case, for the "
            "media, the police and the courts."
        ),
        "description_ar": (
            "ينسّق الفريق الميداني كل نشاط على الأرض مع المجتمعات الفلسطينية التي تدعونا. "
            "أعضاؤه الأساسيون هم منسّقو الميدان: يطابقون كل دعوة مع المتطوعين، ويديرون جدول "
            "الحضور، ويسهرون على سلامة الجميع.\n\n"
            "- **العمل المباشر**: المظاهرات الأسبوعية ضد مصادرة الأراضي، ومرافقة المزارعين إلى "
            "أراضيهم، والبقاء مع العائلات المهددة.\n"
            "- **التوثيق**: تسجيل انتهاكات حقوق الإنسان، حالةً بحالة، لوسائل الإعلام والشرطة "
            "والمحاكم."
        ),
        "how_to_reach_en": (
            "Volunteers reach the field team through their support group. Communities and "
            "journalists can write to the address below; we answer in Arabic or English."
        ),
        "how_to_reach_ar": (
            "يصل المتطوعون إلى الفريق الميداني عن طريق مجموعة الدعم الخاصة بهم. ويمكن "
            "للمجتمعات والصحفيين مراسلتنا على العنوان أدناه، ونجيب بالعربية أو الإنجليزية."
        ),
        "public_email": "field@example.org",
    },
    {
        "slug": "northern-california",
        "kind": "support",
        "name_en": "Northern California",
        "name_ar": "شمال كاليفورنيا",
        "region_en": "San Francisco Bay Area and Northern California, United States",
        "region_ar": "منطقة خليج سان فرانسيسكو وشمال كاليفورنيا، الولايات المتحدة",
        "countries": ["US"],
        "languages": ["en", "es", "ar"],
        "summary_en": (
            "Recruits, screens, trains and supports volunteers from Northern California, and "
            "runs municipal campaigns in Bay Area cities."
        ),
        "summary_ar": (
            "تستقطب المتطوعين من شمال كاليفورنيا وتختارهم وتدرّبهم وتدعمهم، وتدير حملات "
            "بلدية في مدن منطقة الخليج."
        ),
        "description_en": (
            "We formed while recruiting for a spring campaign and have sent volunteers to the "
            "olive harvest every autumn since. Before you travel we meet you, train you over a "
            "weekend and stay in touch while you are in the field; when you come home we help "
            "you speak about what you saw.\n\n"
            "We also work with local organisations on campaigns asking our cities to stop "
            "supporting rights abuses."
        ),
        "description_ar": (
            "تأسّسنا أثناء التحضير لحملة ربيعية، ونرسل المتطوعين إلى موسم قطف الزيتون كل خريف "
            "منذ ذلك الحين. قبل سفرك نلتقي بك وندرّبك خلال عطلة نهاية أسبوع ونبقى على تواصل "
            "معك أثناء وجودك في الميدان، وعند عودتك نساعدك على الحديث عمّا رأيت.\n\n"
            "ونعمل كذلك مع منظمات محلية على حملات تطالب مدننا بالكفّ عن دعم انتهاكات الحقوق."
        ),
        "how_to_reach_en": (
            "Write to us with the contact form or at the address below. We hold an "
            "information evening on the first Tuesday of every month in Oakland."
        ),
        "how_to_reach_ar": (
            "راسلنا عبر نموذج التواصل أو على العنوان أدناه. نعقد أمسية تعريفية في أول يوم "
            "ثلاثاء من كل شهر في أوكلاند."
        ),
        "public_email": "norcal@example.org",
    },
    {
        "slug": "london",
        "kind": "support",
        "name_en": "London",
        "name_ar": "لندن",
        "region_en": "London and the South East of England",
        "region_ar": "لندن وجنوب شرق إنجلترا",
        "countries": ["GB", "IE"],
        "languages": ["en", "ar"],
        "summary_en": (
            "Trains volunteers from Britain and Ireland and organises talks on their return."
        ),
        "summary_ar": "تدرّب المتطوعين من بريطانيا وأيرلندا وتنظّم لقاءات للحديث بعد عودتهم.",
        "description_en": (
            "A small group of returned volunteers. We run two training weekends a year and "
            "organise talks in schools, unions and faith groups across London."
        ),
        "description_ar": (
            "مجموعة صغيرة من المتطوعين العائدين. ننظّم عطلتي تدريب في السنة، ولقاءات في "
            "المدارس والنقابات والمجموعات الدينية في أنحاء لندن."
        ),
        "how_to_reach_en": "Write to us with the contact form; we reply within a week.",
        "how_to_reach_ar": "راسلنا عبر نموذج التواصل، ونردّ خلال أسبوع.",
        "public_email": "london@example.org",
    },
    {
        "slug": "stockholm",
        "kind": "support",
        "name_en": "Stockholm",
        "name_ar": "ستوكهولم",
        "region_en": "Stockholm and the Nordic countries",
        "region_ar": "ستوكهولم ودول الشمال الأوروبي",
        "countries": ["SE", "NO", "DK", "FI", "IS"],
        "languages": ["sv", "en"],
        "summary_en": "Prepares volunteers from the Nordic countries for the olive harvest.",
        "summary_ar": "تحضّر المتطوعين من دول الشمال الأوروبي لموسم قطف الزيتون.",
        "description_en": (
            "We prepare volunteers from Sweden, Norway, Denmark, Finland and Iceland, in "
            "Swedish or English, and keep a small library of reports from returned volunteers."
        ),
        "description_ar": (
            "نحضّر المتطوعين من السويد والنرويج والدنمارك وفنلندا وآيسلندا، بالسويدية أو "
            "الإنجليزية، ونحتفظ بمكتبة صغيرة من تقارير المتطوعين العائدين."
        ),
        "how_to_reach_en": "Write to us with the contact form or at the address below.",
        "how_to_reach_ar": "راسلنا عبر نموذج التواصل أو على العنوان أدناه.",
        "public_email": "stockholm@example.org",
    },
    {
        "slug": "general",
        "kind": "support",
        "is_general": True,
        "name_en": "General group",
        "name_ar": "المجموعة العامة",
        "region_en": "Anywhere without a local support group",
        "region_ar": "أي مكان لا توجد فيه مجموعة دعم محلية",
        "countries": [],
        "languages": ["en", "ar", "fr", "es"],
        "summary_en": (
            "For candidates from anywhere who have no local group: there is always a way in."
        ),
        "summary_ar": "للمرشحين من أي مكان لا توجد فيه مجموعة محلية: هناك دائماً طريق للانضمام.",
        "description_en": (
            "If there is no support group near you, the general group screens, trains (online "
            "and then in person before you go) and supports you like any regional group would."
        ),
        "description_ar": (
            "إذا لم تكن هناك مجموعة دعم قريبة منك، تتولّى المجموعة العامة اختيارك وتدريبك (عن "
            "بُعد ثم حضورياً قبل سفرك) ودعمك كما تفعل أي مجموعة إقليمية."
        ),
        "how_to_reach_en": (
            "Write to us with the contact form, in English, Arabic, French or Spanish."
        ),
        "how_to_reach_ar": (
            "راسلنا عبر نموذج التواصل بالعربية أو الإنجليزية أو الفرنسية أو الإسبانية."
        ),
        "public_email": "general@example.org",
    },
]

# --- partner communities of the field team -------------------------------------------------

COMMUNITIES: list[dict[str, str]] = [
    {
        "slug": "bilin",
        "name_en": "Bil'in popular committee",
        "name_ar": "اللجنة الشعبية في بلعين",
        "locality_en": "Bil'in, Ramallah governorate",
        "locality_ar": "بلعين، محافظة رام الله",
    },
    {
        "slug": "nilin",
        "name_en": "Ni'lin popular committee",
        "name_ar": "اللجنة الشعبية في نعلين",
        "locality_en": "Ni'lin, Ramallah governorate",
        "locality_ar": "نعلين، محافظة رام الله",
    },
    {
        "slug": "nabi-saleh",
        "name_en": "Nabi Saleh popular committee",
        "name_ar": "اللجنة الشعبية في النبي صالح",
        "locality_en": "Nabi Saleh, Ramallah governorate",
        "locality_ar": "النبي صالح، محافظة رام الله",
    },
    {
        "slug": "kafr-qaddum",
        "name_en": "Kafr Qaddum popular committee",
        "name_ar": "اللجنة الشعبية في كفر قدوم",
        "locality_en": "Kafr Qaddum, Qalqilya governorate",
        "locality_ar": "كفر قدوم، محافظة قلقيلية",
    },
    {
        "slug": "tel-rumeida",
        "name_en": "Tel Rumeida neighbourhood committee",
        "name_ar": "لجنة حي تل الرميدة",
        "locality_en": "Tel Rumeida, Hebron",
        "locality_ar": "تل الرميدة، الخليل",
    },
    {
        "slug": "masafer-yatta",
        "name_en": "Masafer Yatta village councils",
        "name_ar": "المجالس القروية في مسافر يطا",
        "locality_en": "Masafer Yatta, South Hebron Hills",
        "locality_ar": "مسافر يطا، تلال جنوب الخليل",
    },
]

# --- principles ----------------------------------------------------------------------------

PRINCIPLES_INTRO_EN = (
    "Every volunteer agrees to these principles before joining an action. They change rarely; "
    "each change is published as a new version, and earlier versions stay readable."
)
PRINCIPLES_INTRO_AR = (
    "يوافق كل متطوع على هذه المبادئ قبل المشاركة في أي نشاط. نادراً ما تتغيّر، وكل تغيير "
    "يُنشر كنسخة جديدة، وتبقى النسخ السابقة متاحة للقراءة."
)

FOUR_PRINCIPLES: list[dict[str, str]] = [
    {
        "title_en": "Palestinian-led",
        "title_ar": "بقيادة فلسطينية",
        "text_en": (
            "We join actions **only when invited** by Palestinian communities and groups, and "
            "we follow their lead. We respect Palestinian culture and the decisions of the "
            "communities that host us."
        ),
        "text_ar": (
            "لا نشارك في أي نشاط **إلا بدعوة** من المجتمعات والمجموعات الفلسطينية، ونسير وفق "
            "توجيهها. نحترم الثقافة الفلسطينية وقرارات المجتمعات التي تستضيفنا."
        ),
    },
    {
        "title_en": "Nonviolence",
        "title_ar": "اللاعنف",
        "text_en": "We use no physical or verbal violence, ever, whatever is done to us.",
        "text_ar": "لا نلجأ إلى العنف الجسدي أو اللفظي أبداً، مهما فُعل بنا.",
    },
    {
        "title_en": "Consensus",
        "title_ar": "التوافق",
        "text_en": (
            "We make every decision by consensus, so that nobody is forced into an action they "
            "disagree with."
        ),
        "text_ar": "نتخذ كل قرار بالتوافق، فلا يُجبَر أحد على المشاركة في عمل لا يوافق عليه.",
    },
    {
        "title_en": "Anti-oppression",
        "title_ar": "مناهضة الاضطهاد",
        "text_en": (
            "We accept no bigotry of any kind: of ethnicity, appearance, origin, gender, gender "
            "identity, sexuality, ability, age or religion. We keep our spaces safe for every "
            "volunteer."
        ),
        "text_ar": (
            "لا نقبل أي شكل من أشكال التعصّب: على أساس العرق أو المظهر أو الأصل أو الجنس أو "
            "الهوية الجندرية أو الميول الجنسية أو القدرة أو العمر أو الدين. ونحافظ على "
            "مساحاتنا آمنة لكل المتطوعين والمتطوعات."
        ),
    },
]

INTERNATIONAL_LAW_PRINCIPLE: dict[str, str] = {
    "title_en": "Freedom under international law",
    "title_ar": "الحرية وفق القانون الدولي",
    "text_en": (
        "We affirm the freedom of the Palestinian people in accordance with United Nations "
        "resolutions and international law."
    ),
    "text_ar": ("نؤكّد حق الشعب الفلسطيني في الحرية وفقاً لقرارات الأمم المتحدة والقانون الدولي."),
}


@dataclass(frozen=True)
class PrinciplesDraft:
    number: int
    days_ago: int
    change_note_en: str
    change_note_ar: str
    principles: list[dict[str, str]] = field(default_factory=list)


PRINCIPLES_VERSIONS: list[PrinciplesDraft] = [
    PrinciplesDraft(
        number=1,
        days_ago=400,
        change_note_en="First published version.",
        change_note_ar="أول نسخة منشورة.",
        principles=FOUR_PRINCIPLES,
    ),
    PrinciplesDraft(
        number=2,
        days_ago=35,
        change_note_en=(
            "Adds the affirmation of freedom under United Nations resolutions and "
            "international law."
        ),
        change_note_ar="تضيف التأكيد على الحرية وفق قرارات الأمم المتحدة والقانون الدولي.",
        principles=[*FOUR_PRINCIPLES, INTERNATIONAL_LAW_PRINCIPLE],
    ),
]

# --- pages ---------------------------------------------------------------------------------

MOVEMENT_PAGES: list[dict[str, Any]] = [
    {
        "slug": "home",
        "position": 0,
        "title_en": "Standing alongside Palestinian communities",
        "title_ar": "إلى جانب المجتمعات الفلسطينية",
        "body_en": (
            "Since 2001 Palestinian communities have invited international volunteers to stand "
            "beside them: in olive groves at harvest time, on children's way to school past "
            "checkpoints, at weekly village demonstrations against land confiscation, and in "
            "homes threatened with demolition.\n\n"
            "We are a movement, not an organisation. Anyone who agrees with our principles can "
            "join, and every action is led by the Palestinian community that asked for it."
        ),
        "body_ar": (
            "منذ عام 2001 تدعو المجتمعات الفلسطينية متطوعين دوليين للوقوف إلى جانبها: في "
            "كروم الزيتون وقت القطاف، وفي طريق الأطفال إلى المدارس عبر الحواجز، وفي المظاهرات "
            "القروية الأسبوعية ضد مصادرة الأراضي، وفي البيوت المهددة بالهدم.\n\n"
            "نحن حركة لا منظمة. يمكن لكل من يتفق مع مبادئنا أن ينضم، وكل نشاط تقوده الجماعة "
            "الفلسطينية التي طلبته."
        ),
    },
    {
        "slug": "about",
        "position": 1,
        "title_en": "About the movement",
        "title_ar": "عن الحركة",
        "body_en": (
            "## A Palestinian-led movement\n\n"
            "The movement was founded in 2001 to support Palestinian popular resistance to the "
            "occupation with nonviolent direct action. Volunteers join only when a Palestinian "
            "community or group invites them.\n\n"
            "## No leaders\n\n"
            "The movement is non-hierarchical. Actions on the ground are coordinated with the "
            "community and moved through a core group that is open to every activist who "
            "commits and takes on coordinating responsibilities. Roles are responsibilities, "
            "never ranks.\n\n"
            "## What volunteers do\n\n"
            "- **Direct action**: demonstrations, accompanying farmers, staying with families "
            "under threat.\n"
            "- **Documentation**: recording human-rights violations and reporting them to local "
            "and international media, and giving police and courts real evidence.\n"
            "- **Back home**: speaking to their own communities about what they saw."
        ),
        "body_ar": (
            "## حركة بقيادة فلسطينية\n\n"
            "تأسّست الحركة عام 2001 لدعم المقاومة الشعبية الفلسطينية للاحتلال بالعمل المباشر "
            "اللاعنفي. لا يشارك المتطوعون إلا حين تدعوهم جماعة أو مجموعة فلسطينية.\n\n"
            "## بلا قادة\n\n"
            "الحركة غير هرمية. تُنسَّق النشاطات على الأرض مع المجتمع المحلي وتمرّ عبر مجموعة "
            "أساسية مفتوحة لكل ناشط يلتزم ويتحمّل مسؤوليات التنسيق. الأدوار مسؤوليات لا "
            "رُتب.\n\n"
            "## ماذا يفعل المتطوعون\n\n"
            "- **العمل المباشر**: المظاهرات، ومرافقة المزارعين، والبقاء مع العائلات المهددة.\n"
            "- **التوثيق**: تسجيل انتهاكات حقوق الإنسان وإبلاغ وسائل الإعلام المحلية والدولية "
            "بها، وتقديم أدلة حقيقية للشرطة والمحاكم.\n"
            "- **بعد العودة**: الحديث إلى مجتمعاتهم عمّا رأوه."
        ),
    },
    {
        "slug": "get-involved",
        "position": 2,
        "title_en": "Get involved",
        "title_ar": "شارك معنا",
        "body_en": (
            "There are many ways to help, wherever you live.\n\n"
            "1. **Volunteer in Palestine.** Find the support group nearest to you; it will "
            "meet you, train you and support you before, during and after your time in the "
            "field. No group near you? The general group welcomes candidates from anywhere.\n"
            "2. **Join a support group at home.** Groups need people for outreach, training, "
            "campaigns and welcoming returned volunteers.\n"
            "3. **Act on a call.** Follow your group's action alerts: demonstrations, pickets, "
            "calls to your elected representatives.\n"
            "4. **Spread the word.** Invite a returned volunteer to speak in your school, union "
            "or community centre."
        ),
        "body_ar": (
            "هناك طرق كثيرة للمساعدة أينما كنت.\n\n"
            "1. **تطوّع في فلسطين.** ابحث عن أقرب مجموعة دعم إليك؛ ستلتقي بك وتدرّبك وتدعمك "
            "قبل وجودك في الميدان وأثناءه وبعده. لا توجد مجموعة قريبة منك؟ المجموعة العامة "
            "ترحّب بالمرشحين من أي مكان.\n"
            "2. **انضم إلى مجموعة دعم في بلدك.** تحتاج المجموعات إلى أشخاص للتواصل والتدريب "
            "والحملات واستقبال المتطوعين العائدين.\n"
            "3. **لبِّ النداء.** تابع نداءات التحرك من مجموعتك: مظاهرات، ووقفات احتجاجية، "
            "ومراسلة ممثليك المنتخبين.\n"
            "4. **انشر الكلمة.** ادعُ متطوعاً عائداً ليتحدث في مدرستك أو نقابتك أو مركزك "
            "المجتمعي."
        ),
    },
]

GROUP_PAGES: dict[str, list[dict[str, Any]]] = {
    "northern-california": [
        {
            "slug": "spring-campaign",
            "position": 0,
            "title_en": "Spring campaign",
            "title_ar": "الحملة الربيعية",
            "body_en": (
                "We are recruiting volunteers for a three-week presence in the spring. "
                "Applications close six weeks before departure so that there is time for "
                "references and the training weekend.\n\n"
                "Come to an information evening first: the first Tuesday of every month."
            ),
            "body_ar": (
                "نستقبل طلبات المتطوعين لوجود مدته ثلاثة أسابيع في الربيع. يُغلق باب التقديم "
                "قبل ستة أسابيع من السفر ليتّسع الوقت للتزكيات وعطلة التدريب.\n\n"
                "احضر أمسية تعريفية أولاً: أول يوم ثلاثاء من كل شهر."
            ),
        },
        {
            "slug": "training",
            "position": 1,
            "title_en": "Training weekends",
            "title_ar": "عطلات التدريب",
            "body_en": (
                "Every volunteer takes part in a training weekend before travelling: the "
                "principles, nonviolent action, consensus decisions, documentation, safety and "
                "what to expect at the border."
            ),
            "body_ar": (
                "يشارك كل متطوع في عطلة تدريب قبل السفر: المبادئ، والعمل اللاعنفي، واتخاذ "
                "القرار بالتوافق، والتوثيق، والسلامة، وما يمكن توقّعه على الحدود."
            ),
        },
    ],
    "london": [
        {
            "slug": "meetings",
            "position": 0,
            "title_en": "Monthly meetings",
            "title_ar": "الاجتماعات الشهرية",
            "body_en": (
                "We meet on the second Thursday of each month. Newcomers are welcome: write to "
                "us first and we will tell you where."
            ),
            "body_ar": (
                "نجتمع في ثاني يوم خميس من كل شهر. نرحّب بالقادمين الجدد: راسلنا أولاً "
                "وسنخبرك بالمكان."
            ),
        },
    ],
}

# --- FAQ -----------------------------------------------------------------------------------

FAQ: list[dict[str, str]] = [
    {
        "question_en": "Do I need experience to volunteer?",
        "question_ar": "هل أحتاج إلى خبرة لأتطوّع؟",
        "answer_en": (
            "No. You need to agree with the principles, take part in the training and listen "
            "to the people you stand beside. Your support group prepares you."
        ),
        "answer_ar": (
            "لا. عليك أن توافق على المبادئ وتشارك في التدريب وتصغي إلى من تقف إلى جانبهم. "
            "مجموعة الدعم الخاصة بك تحضّرك."
        ),
    },
    {
        "question_en": "Who decides where volunteers go?",
        "question_ar": "من يقرّر أين يذهب المتطوعون؟",
        "answer_en": (
            "Palestinian communities do. Volunteers join an action only when a community or "
            "group invites them; the field coordinators then match each invitation with "
            "volunteers."
        ),
        "answer_ar": (
            "المجتمعات الفلسطينية هي التي تقرّر. لا ينضم المتطوعون إلى أي نشاط إلا بدعوة من "
            "جماعة أو مجموعة، ثم يطابق منسّقو الميدان كل دعوة مع المتطوعين."
        ),
    },
    {
        "question_en": "Is it dangerous?",
        "question_ar": "هل الأمر خطير؟",
        "answer_en": (
            "There are real risks, for Palestinians far more than for volunteers. Training "
            "covers safety, and in the field every team checks in with the coordinators "
            "during each activity."
        ),
        "answer_ar": (
            "هناك مخاطر حقيقية، على الفلسطينيين أكثر بكثير منها على المتطوعين. يتناول التدريب "
            "السلامة، وفي الميدان يتواصل كل فريق مع المنسّقين أثناء كل نشاط."
        ),
    },
    {
        "question_en": "What happens at the training?",
        "question_ar": "ماذا يحدث في التدريب؟",
        "answer_en": (
            "A weekend of the principles, nonviolent action, consensus decisions, "
            "documentation, safety and what to expect at the border, with volunteers who have "
            "been there."
        ),
        "answer_ar": (
            "عطلة نهاية أسبوع عن المبادئ، والعمل اللاعنفي، واتخاذ القرار بالتوافق، والتوثيق، "
            "والسلامة، وما يمكن توقّعه على الحدود، مع متطوعين سبق أن كانوا هناك."
        ),
    },
    {
        "question_en": "How long do volunteers stay?",
        "question_ar": "كم يبقى المتطوعون؟",
        "answer_en": "At least two weeks; many stay for a whole olive harvest or longer.",
        "answer_ar": "أسبوعان على الأقل، ويبقى كثيرون طوال موسم قطف الزيتون أو أكثر.",
    },
    {
        "question_en": "There is no support group near me. What can I do?",
        "question_ar": "لا توجد مجموعة دعم قريبة مني. ماذا أفعل؟",
        "answer_en": (
            "Write to the general group: it welcomes candidates from anywhere and supports "
            "them like any regional group would."
        ),
        "answer_ar": (
            "راسل المجموعة العامة: فهي ترحّب بالمرشحين من أي مكان وتدعمهم كما تفعل أي مجموعة "
            "إقليمية."
        ),
    },
    {
        "question_en": "How do you protect my personal data?",
        "question_ar": "كيف تحمون بياناتي الشخصية؟",
        "answer_en": (
            "We collect only what is needed, encrypt what identifies you, show it only to the "
            "people whose role needs it, and record every access. This site loads nothing from "
            "other sites and keeps no analytics."
        ),
        "answer_ar": (
            "نجمع ما نحتاجه فقط، ونشفّر ما يدلّ على هويتك، ولا نعرضه إلا على من يحتاجه دوره، "
            "ونسجّل كل اطّلاع عليه. لا يحمّل هذا الموقع أي شيء من مواقع أخرى ولا يجمع أي "
            "إحصاءات عن الزوار."
        ),
    },
]

# --- people --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """An invented person. `persona` names those listed in the README (who can sign in);
    the others only fill the groups' member lists and cannot sign in."""

    local_part: str
    name: str
    language: str = "en"
    persona: str = ""
    roles: tuple[tuple[str, str], ...] = ()  # (group slug, role)
    partner_of: tuple[str, ...] = ()  # partner community slugs of the field team
    totp_secret: str = ""
    is_staff: bool = False

    @property
    def email(self) -> str:
        return demo_email(self.local_part)


PEOPLE: list[Person] = [
    Person(
        "core",
        "Maren Holt",
        persona="core",
        roles=(("northern-california", "member"), ("northern-california", "core")),
        totp_secret=CORE_TOTP_SECRET,
    ),
    Person(
        "documenter",
        "Nadia Qasem",
        persona="documenter",
        roles=(("palestine", "member"), ("palestine", "documenter")),
        totp_secret=DOCUMENTER_TOTP_SECRET,
    ),
    Person(
        "coordinator",
        "Salma Odeh",
        persona="coordinator",
        roles=(("palestine", "member"), ("palestine", "core")),
        totp_secret=COORDINATOR_TOTP_SECRET,
    ),
    Person("partner", "Hani Darwazeh", language="ar", persona="partner", partner_of=("bilin",)),
    Person(
        "volunteer",
        "Jonah Reyes",
        persona="volunteer",
        roles=(("northern-california", "member"),),
    ),
    Person("applicant", "Ines Okafor", persona="applicant"),
    Person(
        "field",
        "Hamid Sultani",
        persona="field",
        roles=(("northern-california", "member"),),
    ),
    Person(
        "outsider",
        "Agnes Whitcombe",
        persona="outsider",
        roles=(("london", "member"), ("london", "core")),
        totp_secret=OUTSIDER_TOTP_SECRET,
    ),
    Person("admin", "Alex Mercer", persona="admin", totp_secret=ADMIN_TOTP_SECRET, is_staff=True),
    # Fellow members, so that member lists look lived in.
    Person(
        "sam.ortega",
        "Sam Ortega",
        roles=(("northern-california", "member"),),
    ),
    Person(
        "lea.fischer",
        "Lea Fischer",
        roles=(("northern-california", "member"), ("northern-california", "core")),
    ),
    # Two more, so that Northern California decides as a group of seven (the demo decisions).
    Person("dev.kapoor", "Dev Kapoor", roles=(("northern-california", "member"),)),
    Person("joy.okonkwo", "Joy Okonkwo", roles=(("northern-california", "member"),)),
    Person(
        "omar.shalabi",
        "Omar Shalabi",
        language="ar",
        roles=(("palestine", "member"), ("palestine", "core")),
    ),
    Person("rana.khatib", "Rana Khatib", language="ar", roles=(("palestine", "member"),)),
    Person("tom.achterberg", "Tom Achterberg", roles=(("london", "member"),)),
    Person(
        "elin.sandberg",
        "Elin Sandberg",
        roles=(("stockholm", "member"), ("stockholm", "core")),
    ),
    Person(
        "youssef.amr",
        "Youssef Amr",
        language="ar",
        roles=(("general", "member"), ("general", "core")),
    ),
    Person("mahmoud.nasr", "Mahmoud Nasr", language="ar", partner_of=("nilin", "nabi-saleh")),
]

# --- contact messages in Northern California's inbox ----------------------------------------

CONTACT_MESSAGES: list[dict[str, str]] = [
    {
        "name": "Lucía Romero",
        "email": "lucia.romero@example.net",
        "language": "en",
        "body": (
            "Hello! I would like to join the spring campaign. I speak Spanish and some Arabic. "
            "When is the next information evening, and do I need to come in person?"
        ),
    },
    {
        "name": "Daniel Brooks",
        "email": "d.brooks@example.net",
        "language": "en",
        "body": (
            "Our congregation in Sacramento would love to hear from a returned volunteer this "
            "autumn. Could someone from your group come and speak?"
        ),
    },
]

# --- the volunteer pipeline -----------------------------------------------------------------
#
# Dates are days relative to the day the demo is loaded (negative: in the past), so that the
# board always shows something overdue, an interview coming up and a campaign under way.

CAMPAIGN_PERIODS: list[dict[str, Any]] = [
    {
        "group": "northern-california",
        "name_en": "Olive harvest 2026",
        "name_ar": "موسم قطف الزيتون 2026",
        "starts_in_days": -50,
        "ends_in_days": 25,
        "target_volunteers": 12,
    },
    {
        "group": "northern-california",
        "name_en": "Spring school runs 2027",
        "name_ar": "مرافقة الأطفال إلى المدارس، ربيع 2027",
        "starts_in_days": 100,
        "ends_in_days": 190,
        "target_volunteers": 8,
    },
    {
        "group": "london",
        "name_en": "Olive harvest 2026",
        "name_ar": "موسم قطف الزيتون 2026",
        "starts_in_days": -50,
        "ends_in_days": 25,
        "target_volunteers": 6,
    },
]


@dataclass(frozen=True)
class DemoTraining:
    group: str
    title_en: str
    title_ar: str
    qualification: str  # slug of a QualificationKind (volunteers migration 0002)
    starts_in_days: int
    days: int
    capacity: int
    place: str = ""
    is_online: bool = False
    language: str = "en"
    trainers: tuple[str, ...] = ("core", "lea.fischer")


TRAININGS: list[DemoTraining] = [
    # Past: attendance taken, qualifications granted.
    DemoTraining(
        "northern-california",
        "Two-day training, Oakland",
        "تدريب لمدة يومين، أوكلاند",
        "two-day-training",
        starts_in_days=-21,
        days=2,
        capacity=10,
        place="Community room, 14th Street, Oakland",
    ),
    # Upcoming, with places left.
    DemoTraining(
        "northern-california",
        "Legal briefing before travel (online)",
        "إحاطة قانونية قبل السفر (عن بُعد)",
        "legal-briefing",
        starts_in_days=9,
        days=1,
        capacity=12,
        is_online=True,
    ),
    # Upcoming and full, with a waiting list.
    DemoTraining(
        "northern-california",
        "Two-day training, Berkeley",
        "تدريب لمدة يومين، بيركلي",
        "two-day-training",
        starts_in_days=24,
        days=2,
        capacity=3,
        place="Friends meeting house, Berkeley",
    ),
    DemoTraining(
        "london",
        "Two-day training, London",
        "تدريب لمدة يومين، لندن",
        "two-day-training",
        starts_in_days=30,
        days=2,
        capacity=14,
        place="Union hall, Islington",
        trainers=("outsider",),
    ),
]


@dataclass(frozen=True)
class DemoApplicant:
    """An invented applicant and the story of their application so far.

    `stage` is where the application stands; the loader walks it there through the pipeline's
    own actions. `owner` and `due_in_days` give the current step an owner and a deadline."""

    local_part: str
    name: str
    group: str
    stage: str
    country: str
    languages: tuple[str, ...]
    phone: str
    motivation: str
    experience: str = ""
    language: str = "en"
    submitted_days_ago: int = 30
    arrival_in_days: int | None = None
    stay_days: int = 28
    dates_flexible: bool = False
    emergency_contact: tuple[str, str] = ("", "")
    references: tuple[tuple[str, str], ...] = ()
    campaign: str = ""  # name_en of one of the group's CAMPAIGN_PERIODS
    principles_version: int = 2  # current when they applied; they agree to the latest too
    owner: str = ""  # local part of a core member
    due_in_days: int | None = None
    interview_in_days: int | None = None
    interview_outcome: str = ""
    notes: tuple[str, ...] = ()
    decision_reason: str = ""
    trainings: tuple[str, ...] = ()  # titles of TRAININGS they registered for, in order
    attended_past_training: bool = True
    report_backs: tuple[dict[str, Any], ...] = ()
    stay_in_touch: bool = False

    @property
    def email(self) -> str:
        return demo_email(self.local_part)


def _references(first: str, second: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, f"{name.split()[0].lower()}.{name.split()[-1].lower()}@example.org")
        for name in (first, second)
    )


PAST_TRAINING = TRAININGS[0].title_en
LEGAL_BRIEFING = TRAININGS[1].title_en
FULL_TRAINING = TRAININGS[2].title_en
OLIVE_HARVEST = "Olive harvest 2026"

APPLICANTS: list[DemoApplicant] = [
    # The applicant persona: a draft, not yet sent.
    DemoApplicant(
        "applicant",
        "Ines Okafor",
        "northern-california",
        "draft",
        country="US",
        languages=("en", "fr"),
        phone="",
        motivation="I want to stand beside families during the olive harvest.",
    ),
    DemoApplicant(
        "priya.natarajan",
        "Priya Natarajan",
        "northern-california",
        "received",
        country="US",
        languages=("en",),
        phone="+1 510 555 0142",
        motivation=(
            "I teach high school history in Fremont and want to see with my own eyes what my "
            "students only read about, then tell them."
        ),
        experience="Two years of court accompaniment with an immigrant rights group.",
        submitted_days_ago=4,
        arrival_in_days=150,
        dates_flexible=True,
        emergency_contact=("Arun Natarajan", "+1 510 555 0143"),
        references=_references("Dolores Quint", "Martin Evers"),
        campaign="",
        owner="lea.fischer",
        due_in_days=5,
    ),
    DemoApplicant(
        "walt.kowalczyk",
        "Walt Kowalczyk",
        "northern-california",
        "received",
        country="US",
        languages=("en", "pl"),
        phone="+1 916 555 0177",
        motivation="Retired nurse; I can offer first aid and calm on the school runs.",
        experience="Thirty years as an ER nurse in Sacramento.",
        submitted_days_ago=16,
        arrival_in_days=120,
        emergency_contact=("Ann Kowalczyk", "+1 916 555 0178"),
        references=_references("Gail Morrow", "Ray Delacroix"),
        owner="core",
        due_in_days=-3,  # overdue: nobody has called him yet
    ),
    DemoApplicant(
        "marisol.vega",
        "Marisol Vega",
        "northern-california",
        "interview",
        country="US",
        languages=("en", "es"),
        phone="+1 408 555 0119",
        motivation=(
            "My grandparents were farmworkers. I want to help farmers reach their own land at "
            "harvest time."
        ),
        experience="Organiser with a farmworkers' union in Salinas.",
        submitted_days_ago=12,
        arrival_in_days=60,
        emergency_contact=("Ricardo Vega", "+1 408 555 0120"),
        references=_references("Teresa Ocampo", "Joan Whitfield"),
        campaign=OLIVE_HARVEST,
        owner="core",
        due_in_days=4,
        interview_in_days=4,
        notes=("First call went well; she asked good questions about the consensus process.",),
    ),
    DemoApplicant(
        "tobias.lindqvist",
        "Tobias Lindqvist",
        "northern-california",
        "references",
        country="US",
        languages=("en", "sv"),
        phone="+1 415 555 0163",
        motivation="I work in video and want to learn to document violations carefully.",
        experience="Freelance camera operator; volunteered at a legal observer training.",
        submitted_days_ago=26,
        arrival_in_days=45,
        emergency_contact=("Karin Lindqvist", "+46 70 555 01 63"),
        references=_references("Hollis Grant", "Mira Sandoval"),
        campaign=OLIVE_HARVEST,
        owner="lea.fischer",
        due_in_days=6,
        interview_in_days=-10,
        interview_outcome=(
            "Thoughtful, steady. Understands that documentation follows the community's consent."
        ),
        notes=(
            "Keen on filming: we talked about what may be published and who decides.",
            "First reference answered, very warm. Waiting for the second.",
        ),
    ),
    DemoApplicant(
        "keiko.tanaka",
        "Keiko Tanaka",
        "northern-california",
        "training",
        country="US",
        languages=("en", "ja"),
        phone="+1 510 555 0188",
        motivation="I want to be useful in Hebron, where families ask for presence every day.",
        submitted_days_ago=50,
        arrival_in_days=35,
        emergency_contact=("Hiro Tanaka", "+1 510 555 0189"),
        references=_references("Sandra Boyle", "Ezra Pinto"),
        campaign=OLIVE_HARVEST,
        trainings=(PAST_TRAINING, FULL_TRAINING),
        attended_past_training=False,  # fell ill; comes to the next one
    ),
    DemoApplicant(
        "femi.adeyemi",
        "Femi Adeyemi",
        "northern-california",
        "training",
        country="US",
        languages=("en", "fr"),
        phone="+1 510 555 0131",
        motivation="I coach youth football in Oakland and want to walk children to school.",
        submitted_days_ago=40,
        arrival_in_days=70,
        emergency_contact=("Tola Adeyemi", "+1 510 555 0132"),
        references=_references("Grace Mbeki", "Owen Farrell"),
        campaign=OLIVE_HARVEST,
        trainings=(FULL_TRAINING,),
        owner="core",
        due_in_days=20,
    ),
    DemoApplicant(
        "ruth.abernathy",
        "Ruth Abernathy",
        "northern-california",
        "training",
        country="US",
        languages=("en",),
        phone="+1 707 555 0154",
        motivation="Our church twinned with a parish in Beit Sahour; I want to go and listen.",
        submitted_days_ago=38,
        arrival_in_days=80,
        emergency_contact=("Paul Abernathy", "+1 707 555 0155"),
        references=_references("Lorna Blake", "Isaac Feld"),
        campaign=OLIVE_HARVEST,
        trainings=(FULL_TRAINING,),
    ),
    DemoApplicant(
        "diego.fuentes",
        "Diego Fuentes",
        "northern-california",
        "training",
        country="US",
        languages=("en", "es"),
        phone="+1 831 555 0122",
        motivation="I speak Spanish and some Arabic, and I want to be of use at the harvest.",
        submitted_days_ago=33,
        arrival_in_days=90,
        dates_flexible=True,
        emergency_contact=("Lucía Fuentes", "+1 831 555 0123"),
        references=_references("Ben Harlow", "Nora Quist"),
        campaign=OLIVE_HARVEST,
        trainings=(FULL_TRAINING,),  # the last to register: on the waiting list
    ),
    # The volunteer persona: ready to go, trained, registered for the legal briefing.
    DemoApplicant(
        "volunteer",
        "Jonah Reyes",
        "northern-california",
        "ready",
        country="US",
        languages=("en", "es"),
        phone="+1 510 555 0107",
        motivation=(
            "I have marched for years at home; I want to stand with people where the "
            "occupation happens, when they ask for it."
        ),
        experience="Street medic at Bay Area demonstrations; basic Arabic classes.",
        submitted_days_ago=70,
        arrival_in_days=28,
        stay_days=42,
        emergency_contact=("Carmen Reyes", "+1 510 555 0108"),
        references=_references("Alma Ruiz", "Peter Haldane"),
        campaign=OLIVE_HARVEST,
        trainings=(PAST_TRAINING, LEGAL_BRIEFING),
    ),
    DemoApplicant(
        "claire.dubois",
        "Claire Dubois",
        "northern-california",
        "ready",
        country="US",
        languages=("en", "fr", "ar"),
        phone="+1 415 555 0171",
        motivation="I studied Arabic in Amman and want to put it to use for the communities.",
        submitted_days_ago=65,
        arrival_in_days=14,
        emergency_contact=("Luc Dubois", "+33 6 55 50 01 71"),
        references=_references("Hana Jaber", "Tom Willis"),
        campaign=OLIVE_HARVEST,
        trainings=(PAST_TRAINING, LEGAL_BRIEFING),
    ),
    # The persona in the field: out with the teams now, checking in.
    DemoApplicant(
        "field",
        "Hamid Sultani",
        "northern-california",
        "in_field",
        country="US",
        languages=("en", "ar"),
        phone="+1 510 555 0196",
        motivation="I want to accompany farmers in the olive groves this autumn.",
        submitted_days_ago=80,
        arrival_in_days=-8,
        stay_days=30,
        emergency_contact=("Layla Sultani", "+1 510 555 0197"),
        references=_references("Sam Keller", "Rosa Jimenez"),
        campaign=OLIVE_HARVEST,
        trainings=(PAST_TRAINING,),
    ),
    DemoApplicant(
        "bea.lindgren",
        "Bea Lindgren",
        "northern-california",
        "returned",
        country="US",
        languages=("en", "sv"),
        phone="+1 650 555 0110",
        motivation="To join the spring school runs in Tel Rumeida.",
        submitted_days_ago=300,
        arrival_in_days=-150,
        stay_days=35,
        emergency_contact=("Nils Lindgren", "+1 650 555 0111"),
        references=_references("June Oakes", "Paulo Serra"),
        principles_version=1,
        stay_in_touch=True,
        report_backs=(
            {
                "held_in_days": -60,
                "audience": "Oakland teachers' union branch meeting",
                "place": "Oakland",
                "size": 45,
            },
            {
                "held_in_days": -20,
                "audience": "Student group at a community college",
                "place": "Hayward",
                "size": 30,
            },
        ),
    ),
    DemoApplicant(
        "oscar.pellegrini",
        "Oscar Pellegrini",
        "northern-california",
        "withdrawn",
        country="US",
        languages=("en", "it"),
        phone="+1 415 555 0138",
        motivation="I would like to help with documentation.",
        submitted_days_ago=45,
        arrival_in_days=40,
        emergency_contact=("Giulia Pellegrini", "+1 415 555 0139"),
        references=_references("Vera Lund", "Cole Hadley"),
    ),
    DemoApplicant(
        "dustin.hale",
        "Dustin Hale",
        "northern-california",
        "declined",
        country="US",
        languages=("en",),
        phone="+1 916 555 0150",
        motivation="I want to protect people, by force if needed.",
        submitted_days_ago=35,
        arrival_in_days=30,
        emergency_contact=("Marla Hale", "+1 916 555 0151"),
        references=_references("Glen Ames", "Kay Royce"),
        interview_in_days=-25,
        interview_outcome="Would not commit to nonviolence when asked about confrontations.",
        decision_reason=(
            "Does not accept the principle of nonviolence; we explained why and suggested "
            "local solidarity work instead."
        ),
    ),
    # London and the general group: a few, so other groups' boards are not empty.
    DemoApplicant(
        "siobhan.mccarthy",
        "Siobhan McCarthy",
        "london",
        "received",
        country="IE",
        languages=("en",),
        phone="+353 85 555 0142",
        motivation=(
            "I campaign on housing in Dublin and want to stand with families facing eviction."
        ),
        submitted_days_ago=6,
        arrival_in_days=100,
        emergency_contact=("Eoin McCarthy", "+353 85 555 0143"),
        references=_references("Aoife Byrne", "Declan Shaw"),
        owner="outsider",
        due_in_days=7,
    ),
    DemoApplicant(
        "kwame.asante",
        "Kwame Asante",
        "london",
        "training",
        country="GB",
        languages=("en",),
        phone="+44 20 7946 0958",
        motivation="To walk children to school in Hebron and tell my students about it.",
        submitted_days_ago=28,
        arrival_in_days=60,
        emergency_contact=("Ama Asante", "+44 20 7946 0959"),
        references=_references("Helen Ward", "Raj Mehta"),
        campaign=OLIVE_HARVEST,
        trainings=("Two-day training, London",),
    ),
    DemoApplicant(
        "amara.diallo",
        "Amara Diallo",
        "general",
        "received",
        country="SN",
        languages=("fr", "en"),
        phone="+221 77 555 01 42",
        language="en",
        motivation="Il n'y a pas de groupe au Sénégal ; je veux rejoindre la récolte des olives.",
        submitted_days_ago=3,
        arrival_in_days=110,
        emergency_contact=("Fatou Diallo", "+221 77 555 01 43"),
        references=_references("Moussa Ndiaye", "Claire Fontaine"),
    ),
    DemoApplicant(
        "lucas.moreira",
        "Lucas Moreira",
        "general",
        "interview",
        country="BR",
        languages=("pt", "en", "es"),
        phone="+55 11 95555 0142",
        motivation="I work with landless farmers in Brazil and want to learn from Palestinians.",
        submitted_days_ago=14,
        arrival_in_days=75,
        emergency_contact=("Beatriz Moreira", "+55 11 95555 0143"),
        references=_references("Ana Lima", "Jorge Castro"),
        owner="youssef.amr",
        due_in_days=2,
        interview_in_days=2,
    ),
]
