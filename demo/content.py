"""Demo content for WiseGeek CMS.

A plain data module (no Django imports) used to seed a development or
demonstration site. All people, partners and links are fictional; partner
websites use the reserved ``.example`` top-level domain and author websites
use ``example.com`` / ``example.org``.
"""

CATEGORIES = [
    {
        "name": "Health",
        "slug": "health",
        "description": "Clear, carefully reviewed explanations of symptoms, conditions and everyday wellbeing, written to help you understand your body and talk with your clinician.",
        "position": 1,
    },
    {
        "name": "Science",
        "slug": "science",
        "description": "The physics, chemistry, biology and earth science behind the things you notice every day, explained without jargon.",
        "position": 2,
    },
    {
        "name": "Technology",
        "slug": "technology",
        "description": "How the devices, networks and online services you rely on actually work, and how to use them more safely.",
        "position": 3,
    },
    {
        "name": "Money",
        "slug": "money",
        "description": "Plain-language guides to saving, borrowing, credit and the arithmetic of personal finance.",
        "position": 4,
    },
    {
        "name": "Home & Garden",
        "slug": "home-and-garden",
        "description": "Practical explainers on running a comfortable, efficient home and keeping plants and gardens healthy.",
        "position": 5,
    },
]

AUTHORS = [
    {
        "name": "Helen Marsh",
        "slug": "helen-marsh",
        "credentials": "Registered Nurse, BSN",
        "short_bio": "Helen is a registered nurse with nearly twenty years in orthopaedic and community care. She writes about health and home life for WiseGeek.",
        "bio": (
            "<p><strong>Helen Marsh</strong> is a registered nurse who spent "
            "twelve years on an orthopaedic ward before moving into community "
            "nursing, where much of her work involves helping patients make "
            "sense of a new diagnosis. She holds a Bachelor of Science in "
            "Nursing and has a particular interest in back pain, "
            "musculoskeletal injuries and seasonal illness.</p>"
            "<p>At WiseGeek she writes and reviews <em>Health</em> articles and "
            "contributes to <em>Home &amp; Garden</em>, where her allotment "
            "gives her plenty of material. You can read more about her work at "
            "<a href=\"https://example.com/helen-marsh\">her personal site</a>.</p>"
        ),
        "website": "https://example.com/helen-marsh",
    },
    {
        "name": "Daniel Reyes",
        "slug": "daniel-reyes",
        "credentials": "PhD in Physics",
        "short_bio": "Daniel is a physicist and former university lecturer who explains science and technology for WiseGeek, from ocean tides to wireless networks.",
        "bio": (
            "<p><strong>Daniel Reyes</strong> earned his doctorate in "
            "atmospheric physics and taught introductory physics and "
            "electronics at university level for nine years. His research "
            "focused on how light travels through the lower atmosphere, which "
            "is one reason he never tires of questions about the colour of the "
            "sky.</p>"
            "<p>Daniel joined WiseGeek as a staff writer for <em>Science</em> "
            "and <em>Technology</em> and also acts as a second reader on health "
            "articles that involve physics, such as those on ultraviolet light. "
            "He keeps a list of his talks and papers at "
            "<a href=\"https://example.org/daniel-reyes\">example.org/daniel-reyes</a>.</p>"
        ),
        "website": "https://example.org/daniel-reyes",
    },
    {
        "name": "Priya Lindqvist",
        "slug": "priya-lindqvist",
        "credentials": "Certified Financial Planner",
        "short_bio": "Priya is a certified financial planner who spent a decade advising households on budgeting, debt and saving. She covers money and household costs.",
        "bio": (
            "<p><strong>Priya Lindqvist</strong> is a certified financial "
            "planner who worked for ten years with families and small-business "
            "owners on budgeting, debt repayment and long-term saving. She now "
            "writes full time and no longer gives individual advice.</p>"
            "<p>Her WiseGeek articles focus on the <em>Money</em> section and "
            "on the running costs of a home. She believes most financial "
            "decisions become easier once the arithmetic is laid out plainly. "
            "Her newsletter archive is at "
            "<a href=\"https://example.com/priya-lindqvist\">example.com/priya-lindqvist</a>.</p>"
        ),
        "website": "https://example.com/priya-lindqvist",
    },
]

PARTNERS = [
    {
        "name": "Brightleaf Pharmacy",
        "slug": "brightleaf-pharmacy",
        "website": "https://www.brightleafpharmacy.example",
        "domains": ["brightleafpharmacy.example", "go.brightleafpharmacy.example"],
        "description": "An online pharmacy and health store selling over-the-counter medicines, first-aid supplies and home-care products.",
        "since": "2019-04-15",
    },
    {
        "name": "Quillmark Books",
        "slug": "quillmark-books",
        "website": "https://www.quillmarkbooks.example",
        "domains": ["quillmarkbooks.example", "links.quillmarkbooks.example"],
        "description": "An independent online bookshop with a strong range of popular science, personal finance and reference titles.",
        "since": "2018-09-03",
    },
    {
        "name": "Hearthstone Hardware",
        "slug": "hearthstone-hardware",
        "website": "https://www.hearthstonehardware.example",
        "domains": ["hearthstonehardware.example", "go.hearthstonehardware.example"],
        "description": "A home-improvement and garden retailer stocking tools, heating products, compost bins and DIY supplies.",
        "since": "2021-03-22",
    },
    {
        "name": "Voltline Electronics",
        "slug": "voltline-electronics",
        "website": "https://www.voltline.example",
        "domains": ["voltline.example", "shop.voltline.example"],
        "description": "An electronics retailer selling networking equipment, chargers, batteries and home technology.",
        "since": "2022-11-08",
    },
]

ARTICLES = [
    # ------------------------------------------------------------------
    # Health
    # ------------------------------------------------------------------
    {
        "title": "What Is the Connection Between Sciatica and Back Pain?",
        "slug": "what-is-the-connection-between-sciatica-and-back-pain",
        "category": "health",
        "author": "helen-marsh",
        "reviewer": None,
        "summary": "Sciatica is leg pain caused by irritation of the sciatic nerve, and the trouble usually starts in the lower back. Here is how the two are linked and when to seek help.",
        "body": """
<p>Many people use the word <em>sciatica</em> for any pain in the lower back, but the term has a narrower meaning. Sciatica describes pain that travels along the path of the sciatic nerve, usually from the buttock down the back of one leg. Back pain and sciatica often appear together because the most common causes of sciatica begin in the lower spine, yet they are not the same thing, and the difference matters when deciding what to do next.</p>

<h2>How the sciatic nerve and the spine are linked</h2>
<p>The sciatic nerve is the longest and widest nerve in the body. It is formed from several nerve roots that leave the lower spine, roughly from the fourth lumbar vertebra down to the third sacral segment. These roots join in the pelvis, pass through the buttock and run down the back of the thigh before dividing into smaller branches that serve the lower leg and foot.</p>
<p>Because the nerve begins as a bundle of roots squeezed between vertebrae, anything that crowds that space can irritate it. The brain then reports the problem as pain, tingling or numbness in the area the nerve supplies, which is why a problem in the back is often felt most strongly in the leg.</p>

<h3>Common causes</h3>
<ul>
<li><strong>Herniated or bulging disc.</strong> The soft centre of a spinal disc pushes outward and presses on or inflames a nearby nerve root. This is the most frequent cause in adults under about fifty.</li>
<li><strong>Spinal stenosis.</strong> Age-related narrowing of the spinal canal or the openings where nerves exit, more common in older adults.</li>
<li><strong>Spondylolisthesis.</strong> One vertebra slips forward over the one below, narrowing the space for the nerve.</li>
<li><strong>Less common causes</strong>, including muscle tightness deep in the buttock, injury, and, rarely, infection or a growth.</li>
</ul>

<h2>How sciatica differs from ordinary back pain</h2>
<p>Most back pain is <em>mechanical</em>: it comes from muscles, ligaments and joints, stays in the back or upper buttock, and changes with movement or posture. Sciatica is <em>radicular</em> pain, meaning it comes from a nerve root. Typical signs include:</p>
<ul>
<li>pain that shoots below the knee, often described as burning, electric or sharp;</li>
<li>symptoms on one side of the body rather than both;</li>
<li>pins and needles, numbness or weakness in the leg or foot;</li>
<li>leg pain that is worse than the back pain, sometimes made worse by coughing or sneezing.</li>
</ul>
<p>A person can have back pain with no sciatica, sciatica with very little back pain, or both at once. A disc problem, for instance, may first cause an ache in the back and then, days later, a sharper pain running down the leg as the nerve root becomes inflamed.</p>

<blockquote><p>A useful rule of thumb: when the leg hurts more than the back, and the pain travels past the knee, a nerve root is probably involved.</p></blockquote>

<h2>What usually helps</h2>
<p>The outlook is generally good. Most episodes of sciatica improve noticeably within four to six weeks without surgery. Clinicians commonly suggest:</p>
<ol>
<li><strong>Staying as active as you comfortably can.</strong> Long bed rest tends to slow recovery. Short walks and gentle movement are usually better.</li>
<li><strong>Heat or cold.</strong> Either can ease pain for a while; our guide to <a href="/should-you-use-heat-or-ice-for-a-sore-back.htm">using heat or ice for a sore back</a> explains when each makes sense. Some people find <a href="https://www.brightleafpharmacy.example/heat-packs">a reusable heat pack</a> convenient at home.</li>
<li><strong>Over-the-counter pain relief</strong>, used as directed on the label and after checking with a pharmacist if you take other medicines.</li>
<li><strong>Physiotherapy</strong> and specific exercises to improve movement and strength.</li>
</ol>
<p>When symptoms last longer than a few months or are severe, a doctor may discuss stronger medicines, spinal injections or, for a small number of people, surgery to relieve pressure on the nerve.</p>

<h3>When to get urgent help</h3>
<p>Rarely, severe compression of the nerves at the base of the spine causes a condition called cauda equina syndrome, which needs emergency treatment. Seek urgent medical care if sciatica comes with numbness around the genitals or buttocks, new difficulty controlling the bladder or bowels, or weakness in both legs. Sudden symptoms after a fall or accident, or alongside fever or unexplained weight loss, also need prompt assessment.</p>
""",
        "publish_days_ago": 3,
        "updated_days_ago": 1,
        "image_alt": "Illustration of a human spine with the sciatic nerve highlighted as it runs down one leg",
        "palette": ("#1f4e5f", "#7fb8a4"),
    },
    {
        "title": "Should You Use Heat or Ice for a Sore Back?",
        "slug": "should-you-use-heat-or-ice-for-a-sore-back",
        "category": "health",
        "author": "helen-marsh",
        "reviewer": None,
        "summary": "Cold tends to suit a fresh strain, while heat usually helps with stiffness and lingering aches. Learn how each works, how long to use it and when to avoid it.",
        "body": """
<p>Reaching for a bag of frozen peas or a hot-water bottle is one of the oldest home remedies for a sore back. Both can help, but they work in different ways, and choosing the right one for the stage and type of pain makes them more useful. Neither is a cure; think of them as tools for easing pain so that you can keep moving, which is what usually speeds recovery.</p>

<h2>How cold and heat affect the body</h2>
<p><strong>Cold</strong> narrows the small blood vessels near the skin and slows the signals carried by nerves in the area. The result is a numbing effect and, after an injury, less swelling. It is most useful in the first day or two after a strain or a knock, when tissues are freshly inflamed.</p>
<p><strong>Heat</strong> does the opposite: it widens blood vessels, increases blood flow and helps tight muscles relax. Warm tissue also tends to feel less stiff, which can make gentle stretching easier. Heat is often more comfortable for aches that have lasted more than a couple of days, for muscle spasm, and for the morning stiffness many people feel.</p>
<p>Research on low back pain is modest but fairly consistent: heat wraps have been shown to give short-term relief for recent back pain, while the evidence for cold on its own is thinner. In practice, personal preference matters a great deal, and many people simply use whichever feels better.</p>

<h2>Choosing between them</h2>
<table>
<thead><tr><th>Situation</th><th>Usually better</th><th>Why</th></tr></thead>
<tbody>
<tr><td>Sudden strain in the last 48 hours</td><td>Cold</td><td>Numbs pain and may limit swelling</td></tr>
<tr><td>Stiff, tight muscles</td><td>Heat</td><td>Relaxes muscle and eases movement</td></tr>
<tr><td>Ache lasting more than a few days</td><td>Heat</td><td>Improves comfort and blood flow</td></tr>
<tr><td>Visible swelling or bruising</td><td>Cold</td><td>Constricts blood vessels near the injury</td></tr>
<tr><td>Nerve pain such as sciatica</td><td>Either</td><td>Use whichever gives more relief</td></tr>
</tbody>
</table>
<p>Leg pain that travels below the knee may come from an irritated nerve rather than a muscle. Our article on <a href="/what-is-the-connection-between-sciatica-and-back-pain.htm">sciatica and back pain</a> explains how to tell the difference.</p>

<h2>Using them safely</h2>
<h3>Cold</h3>
<ul>
<li>Wrap ice or a cold pack in a thin towel; never place it directly on bare skin.</li>
<li>Apply for about 15 to 20 minutes, then give the skin time to warm up again before repeating.</li>
<li>Stop if the skin becomes very red, white, blotchy or painful.</li>
</ul>
<h3>Heat</h3>
<ul>
<li>Aim for comfortably warm, not hot. A gel pack, wheat bag or <a href="https://www.brightleafpharmacy.example/back-heat-wraps">an adhesive heat wrap</a> all work.</li>
<li>Use for 15 to 20 minutes at a time, or follow the instructions for low-level wraps designed to be worn longer.</li>
<li>Do not fall asleep on a heating pad, and never use heat on a fresh injury that is visibly swollen.</li>
</ul>
<p>Be especially cautious with either method if you have diabetes, poor circulation or reduced feeling in the skin, since you may not notice a burn or cold injury developing. Children and older adults also need extra care.</p>

<h3>When heat and ice are not enough</h3>
<p>Most back pain settles within a few weeks. See a doctor or physiotherapist if pain is severe, keeps getting worse, or is not improving after several weeks. Seek urgent help for back pain that comes with fever, numbness around the groin or buttocks, loss of bladder or bowel control, or weakness in the legs.</p>
""",
        "publish_days_ago": 41,
        "updated_days_ago": 4,
        "image_alt": "Illustration of a warm orange pack and a cool blue pack on either side of a lower back",
        "palette": ("#3d5a80", "#e0a458"),
    },
    {
        "title": "How Does Sunscreen Work?",
        "slug": "how-does-sunscreen-work",
        "category": "health",
        "author": "daniel-reyes",
        "reviewer": "helen-marsh",
        "summary": "Sunscreen filters absorb or scatter ultraviolet light before it can damage skin cells. Here is what SPF and broad-spectrum labels mean and how to apply it properly.",
        "body": """
<p>Sunlight contains ultraviolet (UV) radiation, which we cannot see but our skin certainly notices. Too much of it causes sunburn, speeds up skin ageing and raises the risk of skin cancer. Sunscreen reduces the amount of UV that reaches living skin cells, and understanding how it does so makes it easier to choose and use one well.</p>

<h2>The two kinds of ultraviolet light that matter</h2>
<p>Ultraviolet light has shorter wavelengths and more energy per photon than visible light. Two bands reach the ground in meaningful amounts:</p>
<ul>
<li><strong>UVB</strong> (about 280 to 315 nanometres) carries more energy, damages the outer layer of skin directly and is the main cause of sunburn.</li>
<li><strong>UVA</strong> (about 315 to 400 nanometres) is less energetic but far more plentiful. It penetrates deeper, contributes to wrinkling and pigment changes, and also plays a part in skin cancer.</li>
</ul>
<p>The shortest band, UVC, is absorbed by ozone high in the atmosphere. The same physics of wavelength and scattering that shapes sunlight is covered in our explainer on <a href="/why-is-the-sky-blue.htm">why the sky is blue</a>.</p>

<h2>How the filters work</h2>
<p>Sunscreens contain one or more UV filters, usually grouped into two families.</p>
<h3>Organic (chemical) filters</h3>
<p>These are carbon-based molecules, such as avobenzone or octocrylene, whose chemical bonds absorb UV photons. The absorbed energy is released mostly as a very small amount of heat, which the skin cannot detect. Each molecule covers a particular range of wavelengths, so products usually combine several to cover both UVA and UVB.</p>
<h3>Mineral (inorganic) filters</h3>
<p>Zinc oxide and titanium dioxide are fine mineral particles that sit on the skin. They are often described as reflecting sunlight like tiny mirrors, but in fact they mainly absorb UV, with a smaller share scattered away. Zinc oxide covers a wide range of UVA and UVB on its own, which is one reason it is popular in products for sensitive skin.</p>

<h2>What SPF and other labels mean</h2>
<p>The sun protection factor (SPF) measures protection against the burning effect of UV, which is mostly UVB. It is worked out in laboratory tests by comparing how much UV it takes to redden protected and unprotected skin.</p>
<table>
<thead><tr><th>SPF</th><th>Approximate share of UVB blocked</th></tr></thead>
<tbody>
<tr><td>15</td><td>About 93%</td></tr>
<tr><td>30</td><td>About 97%</td></tr>
<tr><td>50</td><td>About 98%</td></tr>
</tbody>
</table>
<p>The gains above SPF 30 look small, but they matter more than the percentages suggest, because the amount of UV getting through roughly halves between SPF 30 and SPF 50. UVA protection is labelled differently depending on the country: look for "broad spectrum" in the United States, a UVA logo in a circle in Europe, or a star rating in the United Kingdom.</p>

<h3>Getting the protection on the label</h3>
<p>SPF tests use a generous layer of product, and most people apply far less, which lowers the real protection. Practical guidance from dermatologists includes:</p>
<ol>
<li>Use about a shot glass full, roughly 30 millilitres, to cover an adult's exposed body.</li>
<li>Apply before going outdoors and reapply at least every two hours.</li>
<li>Reapply after swimming, sweating or towelling, even with a water-resistant product.</li>
<li>Combine sunscreen with shade, clothing, a hat and sunglasses, especially around midday.</li>
</ol>
<p>Sunscreen is one layer of protection rather than a licence for unlimited time in strong sun. Anyone with a new or changing mole or patch of skin should have it checked by a doctor.</p>
""",
        "publish_days_ago": 96,
        "updated_days_ago": 30,
        "image_alt": "Abstract illustration of sun rays being stopped by a thin protective layer above skin",
        "palette": ("#2a6f97", "#f2c57c"),
    },
    {
        "title": "What Is the Difference Between a Cold and the Flu?",
        "slug": "what-is-the-difference-between-a-cold-and-the-flu",
        "category": "health",
        "author": "helen-marsh",
        "reviewer": None,
        "summary": "Colds and flu are both viral infections of the airways, but flu usually starts suddenly, feels much worse and carries a greater risk of complications.",
        "body": """
<p>Every winter, people ask whether they have "just a cold" or something more serious. Colds and influenza are both infections of the respiratory tract caused by viruses, and they share several symptoms. They are, however, caused by different viruses, tend to behave differently, and carry different levels of risk. Knowing the usual patterns can help you decide how to look after yourself and when to seek advice.</p>

<h2>Different viruses, similar symptoms</h2>
<p>The common cold can be caused by more than two hundred viruses. Rhinoviruses are responsible for the largest share, with certain coronaviruses, adenoviruses and others making up much of the rest. Because there are so many, the body never builds immunity to all of them, which is why adults typically catch two or three colds a year and young children catch more.</p>
<p>Flu is caused by influenza viruses, mainly types A and B. These viruses change a little each year, and occasionally a great deal, so protection from a previous infection or vaccine fades. Seasonal vaccines are updated annually to match the strains expected to circulate.</p>

<h2>Comparing the symptoms</h2>
<table>
<thead><tr><th>Feature</th><th>Common cold</th><th>Flu</th></tr></thead>
<tbody>
<tr><td>Onset</td><td>Gradual, over a day or two</td><td>Sudden, often within hours</td></tr>
<tr><td>Fever</td><td>Uncommon in adults, usually mild</td><td>Common, often high</td></tr>
<tr><td>Aches and chills</td><td>Slight</td><td>Often marked</td></tr>
<tr><td>Tiredness</td><td>Mild</td><td>Can be extreme and last weeks</td></tr>
<tr><td>Runny or blocked nose, sneezing</td><td>Very common</td><td>Sometimes</td></tr>
<tr><td>Sore throat</td><td>Common</td><td>Sometimes</td></tr>
<tr><td>Ability to carry on</td><td>Usually manageable</td><td>Often confined to bed</td></tr>
</tbody>
</table>
<p>A simple way to remember the difference: a cold mostly affects the nose and throat, while flu tends to affect the whole body. People often describe flu as feeling as though they have been "hit by a truck", whereas a cold is more of a nuisance. Other infections, including COVID-19, can look like either, so a test may be the only way to know for certain.</p>

<h2>Treatment and recovery</h2>
<p>Neither illness responds to antibiotics, which work against bacteria rather than viruses. For most healthy people, care is about comfort while the immune system does its job:</p>
<ul>
<li>rest, and plenty of fluids;</li>
<li>over-the-counter remedies for fever, aches or congestion, following the label and a pharmacist's advice;</li>
<li>staying away from others while feverish, and washing hands often.</li>
</ul>
<p>A cold usually clears in seven to ten days, though a cough can linger. Flu symptoms often ease within a week, but tiredness may persist for longer. Doctors can prescribe antiviral medicines for flu; they work best when started within about two days of symptoms appearing and are mainly offered to people at higher risk.</p>

<h3>Who should be more careful</h3>
<p>Flu can lead to complications such as pneumonia, and it can worsen long-term conditions. Adults over 65, pregnant women, very young children and people with heart or lung disease, diabetes or weakened immunity are at greater risk and are usually offered an annual vaccine.</p>
<p>Seek medical advice promptly for difficulty breathing, chest pain, confusion, a fever that returns after improving, signs of dehydration, or symptoms that are getting worse rather than better after several days.</p>
""",
        "publish_days_ago": 152,
        "updated_days_ago": 60,
        "image_alt": "Illustration of two different virus particles side by side against a soft background",
        "palette": ("#355070", "#b5c99a"),
    },
    # ------------------------------------------------------------------
    # Science
    # ------------------------------------------------------------------
    {
        "title": "Why Is the Sky Blue?",
        "slug": "why-is-the-sky-blue",
        "category": "science",
        "author": "daniel-reyes",
        "reviewer": None,
        "summary": "Air molecules scatter short, blue wavelengths of sunlight much more strongly than long, red ones. The same effect explains red sunsets and white clouds.",
        "body": """
<p>On a clear day the sky overhead is a deep blue, fading to a paler shade near the horizon, and at sunset it can glow orange and red. All of these colours come from the same sunlight, which looks white when seen directly. The explanation lies in how light interacts with the gases of the atmosphere, a process called <em>scattering</em>.</p>

<h2>Sunlight is a mixture of colours</h2>
<p>White sunlight contains the full visible spectrum, from violet and blue at the short-wavelength end to orange and red at the long-wavelength end. Violet light has a wavelength of around 400 nanometres, while deep red is closer to 700. A prism or a rainbow separates these colours, but in ordinary daylight they arrive mixed together.</p>
<p>When this light enters the atmosphere it meets enormous numbers of nitrogen and oxygen molecules. These molecules are far smaller than the wavelength of visible light. Each time a light wave passes, it sets the electrons in the molecule oscillating, and the molecule re-emits a little of that light in a new direction.</p>

<h2>Rayleigh scattering</h2>
<p>The strength of scattering by such small particles depends very steeply on wavelength: it is proportional to one over the wavelength to the fourth power. The British physicist Lord Rayleigh worked out this relationship in the 1870s, and the effect now carries his name.</p>
<p>Because of that fourth-power rule, small differences in wavelength make a large difference in scattering. Blue light at about 450 nanometres is scattered nearly six times more strongly than red light at 700 nanometres. As sunlight crosses the atmosphere, blue light is redirected again and again until it seems to come from every part of the sky. Look anywhere away from the Sun and you see this scattered light, so the sky appears blue.</p>

<blockquote><p>In short: the sky is blue not because air is blue, but because air sends blue light off in all directions far more readily than it does red light.</p></blockquote>

<h3>Why not violet?</h3>
<p>Violet light is scattered even more than blue, so it is reasonable to ask why the sky is not purple. There are three reasons. The Sun emits somewhat less violet than blue; some violet is absorbed high in the atmosphere; and human eyes are much less sensitive to violet. The mix of scattered wavelengths that reaches us is perceived by our colour vision as sky blue.</p>

<h2>Sunsets, horizons and clouds</h2>
<p>The same physics explains several other everyday sights.</p>
<ul>
<li><strong>Red and orange sunsets.</strong> When the Sun is low, its light travels through much more air to reach you. Most of the blue is scattered out of the direct beam along the way, leaving the longer orange and red wavelengths.</li>
<li><strong>A paler horizon.</strong> Light from near the horizon passes through so much air that it is scattered many times, mixing colours back towards white.</li>
<li><strong>White clouds.</strong> Cloud droplets are much larger than air molecules. They scatter all visible wavelengths roughly equally, a process called Mie scattering, so clouds look white or, when thick enough to block light, grey.</li>
<li><strong>A black sky in space.</strong> Without an atmosphere there is nothing to scatter sunlight, so astronauts and the Moon's surface see a black sky even in full sunshine.</li>
</ul>
<p>Scattering also matters for health. Ultraviolet light, with even shorter wavelengths than violet, is scattered strongly too, which is why you can still burn in the shade. Our guide to <a href="/how-does-sunscreen-work.htm">how sunscreen works</a> explains how to protect your skin from it.</p>
""",
        "publish_days_ago": 118,
        "updated_days_ago": 118,
        "image_alt": "Abstract illustration of white light splitting into blue rays that spread across the sky",
        "palette": ("#1d3557", "#a8dadc"),
    },
    {
        "title": "How Do Tides Work?",
        "slug": "how-do-tides-work",
        "category": "science",
        "author": "daniel-reyes",
        "reviewer": None,
        "summary": "Tides are caused mainly by differences in the Moon's gravitational pull across the Earth, with the Sun adding a smaller effect that produces spring and neap tides.",
        "body": """
<p>Twice a day along most coastlines, the sea creeps up the shore and then retreats again. The rhythm is regular enough that tide tables can be printed years ahead. The main driver is the Moon, with help from the Sun, but the way their gravity produces two high tides a day rather than one is less obvious than it first seems.</p>

<h2>Gravity that varies across the Earth</h2>
<p>The Moon pulls on every part of the Earth, but not equally. The side of the Earth facing the Moon is about 12,700 kilometres closer to it than the far side, and gravity weakens with distance. So the near-side ocean is pulled towards the Moon slightly more than the Earth's centre is, and the centre is pulled slightly more than the far-side ocean.</p>
<p>What matters for tides is this <em>difference</em> in pull, known as the tidal force. It stretches the oceans along the line joining the Earth and the Moon, producing two bulges of water: one facing the Moon and one on the opposite side, where the ocean is, in effect, left behind as the Earth is pulled away from it.</p>

<h3>Why there are usually two high tides a day</h3>
<p>As the Earth rotates, a given stretch of coast passes through both bulges, giving two high tides and two low tides. Because the Moon is also moving along its orbit, it takes about 24 hours and 50 minutes for a point on Earth to return to the same position relative to the Moon. That is why high tide arrives roughly 50 minutes later each day, and why successive high tides are usually about 12 hours and 25 minutes apart.</p>

<h2>The Sun's role: spring and neap tides</h2>
<p>The Sun is vastly more massive than the Moon, but it is also about 390 times farther away. Because tidal force depends on the difference in pull across the Earth, distance counts for a great deal, and the Sun's tidal effect is a little under half that of the Moon.</p>
<ul>
<li><strong>Spring tides</strong> happen around new moon and full moon, when the Sun, Earth and Moon are roughly in line. The two effects add together, giving higher high tides and lower low tides. The name has nothing to do with the season; it comes from the idea of the water "springing up".</li>
<li><strong>Neap tides</strong> happen around the first and last quarter moons, when the Sun and Moon pull at right angles. Their effects partly cancel, so the range between high and low water is smaller.</li>
</ul>

<h2>Why real tides are more complicated</h2>
<p>The two-bulge picture is a helpful starting point, but real oceans are bounded by continents, vary in depth and cannot flow freely around the globe. In practice, the tides behave more like water sloshing within each ocean basin, and local geography shapes the result.</p>
<ul>
<li>Some places, including parts of the Gulf of Mexico, have only one high tide a day.</li>
<li>Others have two high tides of quite different heights.</li>
<li>Funnel-shaped bays can amplify the range enormously. The Bay of Fundy in Canada has the largest tidal range in the world, sometimes exceeding 15 metres.</li>
<li>Enclosed seas such as the Mediterranean have very small tides.</li>
</ul>
<p>Weather can also push water levels above or below the predicted tide. Strong onshore winds and low air pressure together can cause a storm surge, which is especially dangerous when it coincides with a spring tide.</p>
<p>Tides have practical uses as well as hazards. They shape coastal habitats, influence shipping schedules and are a predictable source of renewable energy, because the Moon's motion can be forecast with great precision. Over very long periods, tidal friction is even gradually slowing the Earth's rotation and moving the Moon a few centimetres farther away each year.</p>
""",
        "publish_days_ago": 205,
        "updated_days_ago": 140,
        "image_alt": "Illustration of the Earth with two ocean bulges aligned towards the Moon",
        "palette": ("#14213d", "#6c9ab8"),
    },
    {
        "title": "What Is the Difference Between Weather and Climate?",
        "slug": "what-is-the-difference-between-weather-and-climate",
        "category": "science",
        "author": "daniel-reyes",
        "reviewer": None,
        "summary": "Weather is the state of the atmosphere over hours and days; climate is the long-term pattern of weather in a place, usually measured over thirty years or more.",
        "body": """
<p>The words <em>weather</em> and <em>climate</em> are often used as if they meant the same thing, but scientists draw a clear line between them. The distinction is mostly about time. Weather is what is happening in the atmosphere now or in the next few days. Climate is the typical pattern of that weather, including its variability and extremes, over many years.</p>

<h2>Weather: the short term</h2>
<p>Weather describes the conditions in a particular place at a particular time: temperature, humidity, cloud, rain or snow, wind and air pressure. It can change from hour to hour, and two towns a short drive apart can have very different afternoons.</p>
<p>Forecasters use observations from weather stations, balloons, aircraft, ships and satellites, and feed them into computer models that simulate how the atmosphere will evolve. Because the atmosphere is chaotic, small errors in the starting data grow over time. Modern forecasts are generally reliable for several days, but the detail of the weather cannot be predicted more than about two weeks ahead.</p>

<h2>Climate: the long-term pattern</h2>
<p>Climate is built from weather statistics gathered over a long period. The World Meteorological Organization uses thirty-year periods, called climate normals, as a standard reference. A place's climate includes its average temperatures and rainfall, but also how much these vary, how often heatwaves or frosts occur, and the timing of wet and dry seasons.</p>
<p>One way to picture it: climate tells you what clothes to pack for a trip, while weather tells you whether to take an umbrella this afternoon. A cold week in a warm country does not change its climate, just as one rainy afternoon does not make a desert wet.</p>

<h3>What shapes a region's climate</h3>
<ul>
<li><strong>Latitude</strong>, which controls how much sunlight arrives through the year;</li>
<li><strong>distance from the sea</strong>, since oceans warm and cool slowly and soften temperature swings;</li>
<li><strong>altitude</strong>, with temperatures generally falling as you climb;</li>
<li><strong>ocean currents and prevailing winds</strong>, which carry heat and moisture over long distances;</li>
<li><strong>mountain ranges</strong>, which can create dry "rain shadows" on their sheltered sides.</li>
</ul>

<h2>Why the difference matters</h2>
<p>The distinction helps make sense of discussions about climate change. A single hot summer or a harsh winter is weather, and on its own it says little about long-term trends. Climate change is detected by looking at decades of records across the whole globe, which show a clear rise in average surface temperature since the late nineteenth century, along with changes in rainfall patterns, sea ice and sea level.</p>
<p>Those shifts in the long-term pattern then change the odds of particular kinds of weather. A warmer climate, for example, makes very hot days more likely and cold extremes less frequent. Scientists in the field of attribution study how much a changing climate has altered the probability or intensity of individual events such as heatwaves or heavy rainfall.</p>
<p>It also explains why scientists can make confident statements about climate decades ahead while being unable to forecast the weather a month from now. Predicting the average of many days is a different problem from predicting one specific day, much as you cannot say how a single coin toss will land but can say with confidence that about half of a thousand tosses will come up heads.</p>
<p>Readers who want to go further might enjoy a general introduction to atmospheric science, such as the titles in the <a href="https://links.quillmarkbooks.example/science/weather-and-climate">weather and climate section at Quillmark Books</a>. Our explainer on <a href="/how-do-tides-work.htm">how tides work</a> covers another everyday rhythm driven by large-scale physics.</p>
""",
        "publish_days_ago": 264,
        "updated_days_ago": 90,
        "image_alt": "Illustration contrasting a single cloud with a long band of seasonal temperature lines",
        "palette": ("#2b4162", "#93b7be"),
    },
    # ------------------------------------------------------------------
    # Technology
    # ------------------------------------------------------------------
    {
        "title": "How Does Wi-Fi Work?",
        "slug": "how-does-wi-fi-work",
        "category": "technology",
        "author": "daniel-reyes",
        "reviewer": None,
        "summary": "Wi-Fi links devices to a router using radio waves, turning data into patterns in a radio signal. Learn what the frequency bands mean and why coverage varies.",
        "body": """
<p>Wi-Fi is so familiar that it is easy to forget it is a radio system. Every time a phone loads a page or a laptop streams a film over Wi-Fi, data is being carried through the air as radio waves between the device and a wireless router. Knowing the basics explains why signals weaken in some rooms, why there are different bands, and what you can do to improve a slow connection.</p>

<h2>The basic parts of a home network</h2>
<p>A typical home connection has three pieces:</p>
<ul>
<li><strong>The modem</strong> connects your home to your internet provider over a phone line, cable or fibre.</li>
<li><strong>The router</strong> creates your local network, hands out addresses to each device and directs traffic between them and the internet. Most homes have a single box that combines the modem and router.</li>
<li><strong>The wireless access point</strong>, usually built into the router, is the radio that sends and receives Wi-Fi signals.</li>
</ul>
<p>"Wi-Fi" itself is a trade name managed by the Wi-Fi Alliance for equipment that follows a family of technical standards known as IEEE 802.11. Newer generations are given simpler names, such as Wi-Fi 5, Wi-Fi 6 and Wi-Fi 7.</p>

<h2>Turning data into radio waves</h2>
<p>Digital data is a stream of ones and zeros. To send it by radio, a Wi-Fi device <em>modulates</em> a carrier wave, changing its amplitude and phase in precise ways so that each change represents a group of bits. Modern Wi-Fi also splits a channel into many narrow sub-carriers that carry data side by side, which makes the signal more resistant to interference and echoes.</p>
<p>Only one device can usually transmit on a channel at a given moment, so Wi-Fi devices listen before they talk and take turns. Newer standards add techniques that let a router serve several devices at once, which helps in busy homes.</p>

<h3>Frequency bands</h3>
<table>
<thead><tr><th>Band</th><th>Strengths</th><th>Limitations</th></tr></thead>
<tbody>
<tr><td>2.4 GHz</td><td>Longer range, passes through walls better</td><td>Slower and crowded, shared with many other devices</td></tr>
<tr><td>5 GHz</td><td>Faster, more channels, less interference</td><td>Shorter range, weakened more by walls</td></tr>
<tr><td>6 GHz</td><td>Very fast, uncrowded (Wi-Fi 6E and Wi-Fi 7)</td><td>Shortest range; needs newer devices</td></tr>
</tbody>
</table>
<p>Higher frequencies can carry more data but lose strength more quickly as they travel through building materials. Many routers broadcast on several bands at once and steer each device to the one that suits it best.</p>

<h2>Why coverage varies and how to improve it</h2>
<p>Radio signals fade with distance and are absorbed or reflected by obstacles. Brick, concrete, metal, mirrors and even large fish tanks can weaken Wi-Fi noticeably. Neighbouring networks on the same channel and some household electronics add interference.</p>
<ol>
<li><strong>Place the router well.</strong> A central, raised, open position usually works better than a cupboard or a corner at floor level.</li>
<li><strong>Update firmware</strong> so the router has the latest fixes for performance and security.</li>
<li><strong>Use a wired connection</strong> for fixed devices such as desktop computers or televisions where practical.</li>
<li><strong>Add coverage</strong> in larger homes. A <a href="https://shop.voltline.example/networking/mesh-wifi">mesh Wi-Fi system</a> uses several units that work together as one network, which tends to give more even coverage than a single router with a basic range extender.</li>
</ol>

<h3>Keeping your network secure</h3>
<p>Because Wi-Fi travels through walls, anyone nearby can pick up the signal. Use WPA2 or, preferably, WPA3 encryption with a long, unique password, change the router's default administrator password, and turn off remote management features you do not need. For your online accounts, <a href="/what-is-two-factor-authentication.htm">two-factor authentication</a> adds a second layer of protection that does not depend on your network at all.</p>
""",
        "publish_days_ago": 58,
        "updated_days_ago": 12,
        "image_alt": "Illustration of a router sending concentric radio waves through the rooms of a house",
        "palette": ("#22333b", "#5e9ea0"),
    },
    {
        "title": "What Is Two-Factor Authentication?",
        "slug": "what-is-two-factor-authentication",
        "category": "technology",
        "author": "daniel-reyes",
        "reviewer": None,
        "summary": "Two-factor authentication asks for a second proof of identity, such as a code or a security key, so that a stolen password alone is not enough to break into an account.",
        "body": """
<p>Passwords have a basic weakness: anyone who learns one can use it. They are stolen in data breaches, guessed, reused across sites and handed over to convincing fake login pages. Two-factor authentication, often shortened to 2FA, tackles this by asking for a second, different kind of proof before letting someone into an account.</p>

<h2>The three kinds of factor</h2>
<p>Security specialists group the ways of proving who you are into three categories:</p>
<ul>
<li><strong>Something you know</strong>, such as a password or PIN.</li>
<li><strong>Something you have</strong>, such as a phone, a hardware security key or a bank card.</li>
<li><strong>Something you are</strong>, such as a fingerprint or face scan.</li>
</ul>
<p>Two-factor authentication combines two different categories. A password plus a second password is not true 2FA, because both belong to the same category and can be stolen in the same way. A password plus a code from your phone is, because an attacker would need both your password and your device. The broader term <em>multi-factor authentication</em> covers systems that may use two or more factors.</p>

<blockquote><p>The point of a second factor is simple: a criminal who has your password still cannot get in without something they do not have.</p></blockquote>

<h2>Common types of second factor</h2>
<h3>Text message codes</h3>
<p>The site sends a short code by SMS that you type in after your password. This is far better than a password alone and is easy to set up, but it has weak spots. Criminals sometimes persuade a mobile provider to transfer a victim's number to a new SIM card, a trick known as SIM swapping, and codes can also be phished.</p>
<h3>Authenticator apps</h3>
<p>An app on your phone generates a new six-digit code every 30 seconds, based on a secret shared with the website when you set it up and on the current time. Because the codes are created on the device, they do not depend on the mobile network and cannot be intercepted in transit.</p>
<h3>Push notifications</h3>
<p>Some services send a prompt to an app on your phone asking you to approve the sign-in. These are convenient, but only approve a request you have just started yourself; attackers sometimes send repeated prompts hoping someone taps "approve" to make them stop.</p>
<h3>Security keys and passkeys</h3>
<p>A hardware security key plugs into a computer or taps against a phone. It uses public-key cryptography and checks the identity of the website it is talking to, so it will not work on a look-alike phishing site. Passkeys, now supported by major operating systems and browsers, apply the same approach using your phone or computer, unlocked with your fingerprint, face or device PIN. These are currently the strongest widely available options.</p>

<h2>Setting it up sensibly</h2>
<ol>
<li><strong>Start with the accounts that matter most</strong>: email, banking, and any account used to reset other passwords.</li>
<li><strong>Prefer an authenticator app, security key or passkey</strong> over text messages where the service allows it.</li>
<li><strong>Save your backup codes</strong> somewhere safe and offline. They let you back in if you lose your phone.</li>
<li><strong>Register a second method</strong> where possible, such as a spare security key.</li>
<li><strong>Never share a code</strong> with anyone who contacts you, even if they claim to be from the company itself.</li>
</ol>
<p>Two-factor authentication is especially valuable for financial services. Unauthorised borrowing in your name can affect your credit record for years, as our guide to <a href="/how-does-a-credit-score-work.htm">how a credit score works</a> explains.</p>
""",
        "publish_days_ago": 177,
        "updated_days_ago": 45,
        "image_alt": "Illustration of a padlock linked to a phone displaying a six-digit code",
        "palette": ("#283d3b", "#83a598"),
    },
    {
        "title": "Why Do Batteries Lose Capacity Over Time?",
        "slug": "why-do-batteries-lose-capacity-over-time",
        "category": "technology",
        "author": "daniel-reyes",
        "reviewer": None,
        "summary": "Rechargeable lithium-ion batteries slowly lose capacity as side reactions consume lithium and wear the electrodes. Heat and long periods at full charge speed this up.",
        "body": """
<p>A new phone might last comfortably through a long day, yet two or three years later the same phone needs charging by mid-afternoon. Nothing has necessarily gone wrong; the battery has aged. The lithium-ion cells used in phones, laptops, electric cars and most other rechargeable devices all lose capacity gradually, and the reasons are rooted in their chemistry.</p>

<h2>How a lithium-ion battery stores energy</h2>
<p>A lithium-ion cell has two electrodes separated by a thin porous sheet and soaked in a liquid electrolyte. The negative electrode is usually made of graphite, and the positive electrode is a metal oxide or phosphate containing lithium.</p>
<p>When the battery charges, lithium ions move out of the positive electrode, travel through the electrolyte and slot between the layers of graphite. When it discharges, they flow back, while electrons travel the long way round through the device, powering it as they go. The battery's capacity depends on how many lithium ions can make this round trip and how many places they have to go.</p>

<h2>What wears a battery out</h2>
<p>Each cycle is not perfectly reversible. Small side reactions happen every time, and their effects accumulate.</p>
<ul>
<li><strong>Growth of a surface film.</strong> A thin layer called the solid electrolyte interphase forms on the graphite. It is necessary, because it protects the electrode, but it keeps growing slowly and traps lithium that can no longer carry charge.</li>
<li><strong>Electrolyte breakdown.</strong> The liquid gradually decomposes, especially at high temperature and high voltage, producing gases and residues that raise internal resistance.</li>
<li><strong>Electrode damage.</strong> Electrode materials expand and contract slightly as lithium moves in and out. Over thousands of cycles this can cause tiny cracks and structural changes.</li>
<li><strong>Lithium plating.</strong> Charging quickly in cold conditions can cause metallic lithium to deposit on the graphite, removing it from use and, in severe cases, creating a safety risk.</li>
</ul>
<p>Rising internal resistance also explains why an old battery may drop suddenly from a moderate percentage to zero under heavy load: its voltage sags below what the device needs, even though some energy remains.</p>

<h3>The factors that speed up ageing</h3>
<ul>
<li><strong>Heat</strong> is the biggest enemy. Leaving a device in a hot car or charging it under a pillow accelerates every damaging reaction.</li>
<li><strong>Long periods at full charge</strong> keep the cell at high voltage, which stresses the electrolyte and positive electrode.</li>
<li><strong>Deep discharges</strong> to zero are harder on the cell than shallow ones.</li>
<li><strong>Number of cycles.</strong> Manufacturers commonly rate phone batteries to keep about 80 percent of their original capacity after somewhere between 500 and 1,000 full charge cycles.</li>
</ul>

<h2>Practical ways to make a battery last</h2>
<ol>
<li>Keep devices out of direct sun and hot places, and remove thick cases if a phone gets hot while charging.</li>
<li>Use the optimised or adaptive charging setting many phones and laptops offer. It holds the battery around 80 percent and finishes charging just before you usually unplug.</li>
<li>Top up little and often rather than running the battery flat. Older advice about fully draining batteries applied to nickel-based cells, not lithium-ion.</li>
<li>For long-term storage, leave the battery about half charged in a cool place.</li>
<li>Use a good-quality charger from a reputable source, such as the <a href="https://www.voltline.example/chargers/usb-c">certified USB-C chargers at Voltline</a>, rather than unbranded units of unknown safety.</li>
</ol>
<p>When a battery does wear out, replacement by an authorised service is usually far cheaper than a new device. Never use a battery that is visibly swollen, and take old cells to a proper recycling point rather than putting them in household rubbish.</p>
""",
        "publish_days_ago": 312,
        "updated_days_ago": 200,
        "image_alt": "Illustration of a battery outline with its charge level gradually shrinking over time",
        "palette": ("#2f3e46", "#84a98c"),
    },
    # ------------------------------------------------------------------
    # Money
    # ------------------------------------------------------------------
    {
        "title": "What Is Compound Interest?",
        "slug": "what-is-compound-interest",
        "category": "money",
        "author": "priya-lindqvist",
        "reviewer": None,
        "summary": "Compound interest is interest earned on earlier interest as well as on the original sum. Over long periods it makes savings grow faster and debts more expensive.",
        "body": """
<p>Compound interest is often described as interest on interest. When you save or invest, the interest you earn is added to your balance, and in the next period you earn interest on that larger balance. Over a few months the effect is small, but over decades it becomes one of the most powerful forces in personal finance, for savers and borrowers alike.</p>

<h2>Simple interest versus compound interest</h2>
<p>With <strong>simple interest</strong>, you earn the same amount each year, calculated only on the original sum, known as the principal. Put 1,000 in an account paying 5 percent simple interest and you earn 50 a year, every year.</p>
<p>With <strong>compound interest</strong>, each year's interest is added to the balance. In the first year you still earn 50. In the second year you earn 5 percent of 1,050, which is 52.50. In the third, you earn 5 percent of 1,102.50. The yearly gain keeps rising, and the gap between the two methods widens steadily.</p>

<table>
<thead><tr><th>Years</th><th>Balance with 5% simple interest</th><th>Balance with 5% compounded yearly</th></tr></thead>
<tbody>
<tr><td>0</td><td>1,000.00</td><td>1,000.00</td></tr>
<tr><td>10</td><td>1,500.00</td><td>1,628.89</td></tr>
<tr><td>20</td><td>2,000.00</td><td>2,653.30</td></tr>
<tr><td>30</td><td>2,500.00</td><td>4,321.94</td></tr>
</tbody>
</table>
<p>After thirty years, compounding has produced more than twice as much growth as simple interest, without any extra money being paid in.</p>

<h2>The formula and a handy shortcut</h2>
<p>The balance after compounding can be worked out with the formula <em>A = P &times; (1 + r/n)^(n &times; t)</em>, with the caret meaning &ldquo;raised to the power of&rdquo;, where:</p>
<ul>
<li><strong>A</strong> is the final amount;</li>
<li><strong>P</strong> is the principal;</li>
<li><strong>r</strong> is the annual interest rate as a decimal, so 5 percent is 0.05;</li>
<li><strong>n</strong> is the number of times interest is added each year;</li>
<li><strong>t</strong> is the number of years.</li>
</ul>
<p>More frequent compounding, such as monthly instead of yearly, gives a slightly higher result at the same stated rate. This is why savings accounts often quote an annual equivalent rate, or annual percentage yield, that takes compounding into account and makes products easier to compare.</p>
<h3>The rule of 72</h3>
<p>For a quick estimate of how long it takes money to double, divide 72 by the annual interest rate. At 5 percent, doubling takes about 72 &divide; 5 = 14.4 years. At 8 percent, it takes about nine years. The rule is an approximation, but it is accurate enough for everyday planning at typical rates.</p>

<h2>Why time matters more than timing</h2>
<p>Because growth builds on itself, the years at the end of a long savings period contribute the most. Someone who starts saving modest amounts in their twenties can end up with more than someone who saves larger amounts but starts fifteen years later. Three habits make the most of compounding:</p>
<ol>
<li>start as early as you can, even with small sums;</li>
<li>leave interest and returns in the account rather than withdrawing them;</li>
<li>keep fees low, because fees compound against you in the same way returns compound for you.</li>
</ol>

<h3>The other side: compounding debt</h3>
<p>Compounding works just as hard on money you owe. Credit cards commonly charge high rates and add unpaid interest to the balance, so a debt that is left to grow can double in a few years. Paying off high-interest debt is often the best guaranteed "return" available, and keeping an <a href="/what-is-an-emergency-fund.htm">emergency fund</a> helps avoid borrowing in the first place. For a longer, practical introduction, <a href="https://links.quillmarkbooks.example/money/beginners-guide-to-saving">a beginner's guide to saving and investing</a> can be a good next step.</p>
""",
        "publish_days_ago": 77,
        "updated_days_ago": 20,
        "image_alt": "Illustration of a small stack of coins growing into a rising curve",
        "palette": ("#264653", "#8ab17d"),
    },
    {
        "title": "How Does a Credit Score Work?",
        "slug": "how-does-a-credit-score-work",
        "category": "money",
        "author": "priya-lindqvist",
        "reviewer": None,
        "summary": "A credit score is a number lenders use to estimate how likely you are to repay borrowing. It is calculated from your credit report, mainly your payment record and debt levels.",
        "body": """
<p>When you apply for a credit card, loan, mortgage or even some mobile phone contracts, the lender will usually check your credit score. This single number summarises how you have handled borrowing in the past and helps the lender predict how you will handle it in future. Understanding where it comes from makes it much less mysterious, and easier to improve.</p>

<h2>Credit reports and credit scores</h2>
<p>The score is calculated from your <strong>credit report</strong>, a record held by credit reference agencies (also called credit bureaus). The three largest, Experian, Equifax and TransUnion, operate in several countries, including the United States and the United Kingdom. Lenders send them regular updates about your accounts, and the report typically shows:</p>
<ul>
<li>the credit accounts you hold, such as cards, loans and mortgages, and their limits and balances;</li>
<li>whether you have paid on time, and any missed or late payments;</li>
<li>recent applications for credit;</li>
<li>serious events, such as defaults or court judgments, where relevant.</li>
</ul>
<p>A <strong>credit score</strong> is a number produced by applying a formula to that information. Different agencies and lenders use different models and scales, so you can have several scores at once. In the United States, the widely used FICO and VantageScore models both run from 300 to 850. In the United Kingdom, each agency uses its own scale, and lenders also apply their own criteria.</p>

<h2>What goes into the score</h2>
<p>The exact formulas are proprietary, but the main ingredients are well known. FICO publishes approximate weightings for its model:</p>
<ol>
<li><strong>Payment history (about 35%).</strong> Paying on time, every time, is the most important factor. A single payment that is more than a month late can lower a score noticeably.</li>
<li><strong>Amounts owed (about 30%).</strong> This includes <em>credit utilisation</em>, the share of your available credit card limits you are using. Keeping balances well below your limits, many advisers suggest under 30 percent, tends to help.</li>
<li><strong>Length of credit history (about 15%).</strong> Older accounts show a longer track record.</li>
<li><strong>New credit (about 10%).</strong> Several applications in a short time can suggest financial strain.</li>
<li><strong>Credit mix (about 10%).</strong> Experience with different types of borrowing, such as instalment loans and revolving cards, counts a little.</li>
</ol>
<p>Your income, savings, job and age are generally not part of the score itself, although lenders may ask about income separately when deciding whether to lend.</p>

<h3>Hard and soft searches</h3>
<p>When you apply for credit, the lender makes a <em>hard</em> search, which is recorded on your file and may reduce your score slightly for a while. Checking your own score, or a lender's eligibility check, is usually a <em>soft</em> search, which other lenders cannot see and which does not affect your score.</p>

<h2>How to build or repair a score</h2>
<ul>
<li>Set up automatic payments for at least the minimum on every account.</li>
<li>Pay down card balances and avoid running close to your limits.</li>
<li>Space out applications for new credit.</li>
<li>Keep older accounts open if they cost nothing, since they lengthen your history.</li>
<li>Check your reports from each agency at least once a year and dispute any errors.</li>
<li>Protect your identity, including with <a href="/what-is-two-factor-authentication.htm">two-factor authentication</a> on financial accounts, to reduce the risk of fraud in your name.</li>
</ul>
<p>Negative marks fade in importance over time, and most drop off reports after six or seven years, depending on the country. Steady, on-time payments are the surest way to rebuild, and a small cash cushion, such as an <a href="/what-is-an-emergency-fund.htm">emergency fund</a>, helps make those payments possible when something unexpected happens.</p>
""",
        "publish_days_ago": 133,
        "updated_days_ago": 25,
        "image_alt": "Illustration of a semicircular gauge with a needle pointing towards the upper range",
        "palette": ("#3a506b", "#5bc0be"),
    },
    {
        "title": "What Is an Emergency Fund?",
        "slug": "what-is-an-emergency-fund",
        "category": "money",
        "author": "priya-lindqvist",
        "reviewer": None,
        "summary": "An emergency fund is cash set aside for unexpected costs or a loss of income. Most advisers suggest three to six months of essential spending, built up gradually.",
        "body": """
<p>An emergency fund is money you keep aside for the things life throws at you without warning: a broken boiler, an urgent car repair, a vet's bill or a sudden drop in income. Its job is not to grow or to pay for holidays. Its job is to be there, in cash, when you need it, so that a bad week does not turn into months of debt.</p>

<h2>Why it matters</h2>
<p>Without savings to fall back on, most unexpected costs end up on a credit card, an overdraft or a short-term loan. Those options are expensive, and because interest compounds, a modest bill can grow into a long-term burden. Our explainer on <a href="/what-is-compound-interest.htm">compound interest</a> shows how quickly that can happen.</p>
<p>An emergency fund also gives you choices. It can mean the difference between accepting the first job offer that comes along after a redundancy and taking the time to find the right one. And many people find that simply knowing the money is there reduces day-to-day financial stress.</p>

<blockquote><p>Think of an emergency fund as insurance you pay for yourself: you hope not to need it, but you are very glad of it when you do.</p></blockquote>

<h2>How much should you save?</h2>
<p>A common guideline is three to six months of <em>essential</em> spending. That means the costs you could not avoid if your income stopped: housing, utilities, food, insurance, transport and minimum debt repayments. It does not need to cover eating out or subscriptions you would cancel in a crisis.</p>
<p>Where you fall within that range depends on your circumstances. You might aim for the higher end, or beyond, if:</p>
<ul>
<li>your income is irregular, for example if you are self-employed or work on commission;</li>
<li>you are the only earner in your household or have dependants;</li>
<li>your work is in a sector where jobs can be hard to replace quickly;</li>
<li>you own an older home or car that is likely to need repairs.</li>
</ul>
<p>If three months feels out of reach, start with a smaller first goal, such as one month of essentials or a fixed sum to cover a typical repair. A small fund is far better than none.</p>

<h3>Building it step by step</h3>
<ol>
<li><strong>Work out your monthly essentials</strong> from recent bank statements.</li>
<li><strong>Set up an automatic transfer</strong> on payday, so saving happens before spending.</li>
<li><strong>Add windfalls</strong>, such as tax refunds or bonuses, to the fund.</li>
<li><strong>Refill it</strong> after you use it, before resuming other savings goals.</li>
</ol>

<h2>Where to keep it</h2>
<p>The ideal home for an emergency fund is safe, easy to reach and separate from your everyday spending. An easy-access savings account at a protected bank or building society is the usual choice. It earns some interest while keeping the money available within a day or two, and having it in a separate account makes it less tempting to dip into for non-emergencies.</p>
<p>Investments such as shares are generally unsuitable for this money, because their value can fall just when you need to sell. Long fixed-term accounts can also be awkward if they charge penalties for early withdrawal.</p>
<p>Finally, decide in advance what counts as an emergency. A useful test is whether the expense is unexpected, necessary and urgent. Meeting all three is a good reason to use the fund. Paying bills on time from your savings also protects your record with lenders, as described in our guide to <a href="/how-does-a-credit-score-work.htm">how a credit score works</a>.</p>
""",
        "publish_days_ago": 248,
        "updated_days_ago": 75,
        "image_alt": "Illustration of a sturdy piggy bank sheltered beneath a simple umbrella",
        "palette": ("#2d3a3a", "#a3b18a"),
    },
    # ------------------------------------------------------------------
    # Home & Garden
    # ------------------------------------------------------------------
    {
        "title": "How Do You Start a Compost Pile?",
        "slug": "how-do-you-start-a-compost-pile",
        "category": "home-and-garden",
        "author": "helen-marsh",
        "reviewer": None,
        "summary": "A compost pile turns kitchen and garden waste into rich soil improver. Success depends on mixing greens and browns, keeping it damp and letting air in.",
        "body": """
<p>Composting is a way of letting nature recycle kitchen scraps and garden waste into a dark, crumbly material that improves almost any soil. It keeps useful organic matter out of landfill, where it would break down without oxygen and release methane, and it gives you a free supply of soil conditioner. Starting a pile is straightforward once you understand what the organisms doing the work need.</p>

<h2>What happens inside a compost pile</h2>
<p>Compost is made by living things. Bacteria and fungi do most of the chemical breakdown, while worms, woodlice, mites and other small creatures shred material and mix it. Like any living community, they need four things: food, water, air and a reasonable temperature.</p>
<p>Their food comes in two broad types, which gardeners call <em>greens</em> and <em>browns</em>. Greens are rich in nitrogen and tend to be moist and fresh. Browns are rich in carbon and tend to be dry and woody. Microbes need both, roughly in a ratio of about thirty parts carbon to one part nitrogen by weight. In practice, that usually means using somewhat more brown material than green by volume.</p>

<h3>Greens and browns</h3>
<ul>
<li><strong>Greens:</strong> fruit and vegetable scraps, coffee grounds, tea leaves, fresh grass clippings, young weeds without seeds, and plant trimmings.</li>
<li><strong>Browns:</strong> dry leaves, straw, shredded newspaper, torn plain cardboard, egg boxes, sawdust from untreated wood, and woody prunings chopped small.</li>
</ul>
<p>Some items are best left out of a home pile: meat, fish, dairy and cooked food with oils, which attract rats and smell; pet waste from cats and dogs; diseased plants; perennial weed roots; and glossy or plastic-coated paper.</p>

<h2>Setting up your pile, step by step</h2>
<ol>
<li><strong>Choose a spot</strong> on bare soil, in partial shade if possible, and within easy reach of the kitchen. Contact with soil lets worms and other helpers move in.</li>
<li><strong>Decide on a container.</strong> An open heap works, but a bin keeps things tidy and holds in warmth. A simple <a href="https://www.hearthstonehardware.example/garden/compost-bins">lidded compost bin</a> suits most small gardens, while larger plots may use wooden bays.</li>
<li><strong>Start with coarse browns</strong>, such as twiggy prunings, at the base to help air circulate.</li>
<li><strong>Add material in mixed layers</strong>, alternating greens and browns, or simply mixing them as you go.</li>
<li><strong>Keep it moist</strong>, about as damp as a wrung-out sponge. Water dry material as you add it, and cover the heap in very wet weather.</li>
<li><strong>Turn it</strong> every few weeks with a garden fork to add oxygen and speed things up. A <a href="https://go.hearthstonehardware.example/garden/compost-aerator">compost aerator tool</a> makes this easier in an enclosed bin.</li>
</ol>

<h2>Troubleshooting and knowing when it is ready</h2>
<ul>
<li><strong>Smells bad or is slimy:</strong> too wet or too many greens. Mix in dry browns and turn it.</li>
<li><strong>Nothing seems to happen:</strong> probably too dry or too many browns. Add water and fresh greens.</li>
<li><strong>Attracts pests:</strong> remove any cooked food, bury fresh scraps in the middle, and use a bin with a base mesh if rodents are a problem.</li>
</ul>
<p>An actively managed "hot" heap can reach 55 to 65 degrees Celsius and produce compost within a couple of months. A cooler, mostly untouched heap still works but may take six months to a year. The compost is ready when it is dark, crumbly and smells earthy, and the original materials are no longer recognisable.</p>
<p>Spread finished compost on beds as a mulch, dig it into new borders, or sieve it and mix it with other ingredients for pots. It adds organic matter that helps soil hold water and nutrients, which can prevent some of the problems described in our guide to <a href="/why-do-houseplant-leaves-turn-yellow.htm">why plant leaves turn yellow</a>.</p>
""",
        "publish_days_ago": 34,
        "updated_days_ago": 34,
        "image_alt": "Illustration of layered green and brown garden material inside a wooden compost bin",
        "palette": ("#3a5a40", "#b08968"),
    },
    {
        "title": "Why Do Houseplant Leaves Turn Yellow?",
        "slug": "why-do-houseplant-leaves-turn-yellow",
        "category": "home-and-garden",
        "author": "helen-marsh",
        "reviewer": None,
        "summary": "Yellow leaves on a houseplant are a sign of stress. Overwatering is the most common cause, but light, nutrients, pests and ordinary ageing can all play a part.",
        "body": """
<p>Leaves are green because they contain chlorophyll, the pigment plants use to capture light. When a leaf turns yellow, the plant is breaking down or failing to make chlorophyll, a change known as <em>chlorosis</em>. Sometimes that is completely normal. More often, it is a plant's way of showing that something about its care or surroundings is not quite right. The pattern of yellowing is the best clue to the cause.</p>

<h2>Start with the watering</h2>
<p>Problems with water cause more yellow leaves than anything else, and too much is more common than too little.</p>
<h3>Overwatering</h3>
<p>Roots need air as well as water. When compost stays soggy, the spaces that normally hold air fill with water, roots struggle to breathe and may begin to rot. Damaged roots cannot take up water or nutrients properly, so, confusingly, an overwatered plant can droop as if it were thirsty. Signs include soft, yellowing leaves, often starting low on the plant, compost that feels wet days after watering, and sometimes a sour smell.</p>
<p>To fix it, let the top few centimetres of compost dry before watering again, empty any water left in saucers, and make sure the pot has drainage holes. If the roots are brown and mushy, trim the damaged parts and repot into fresh, free-draining compost.</p>
<h3>Underwatering</h3>
<p>A plant that is too dry usually shows crisp, yellow or brown leaf edges, leaves that curl, and compost that has shrunk away from the side of the pot. Water thoroughly until it runs from the drainage holes, and check more often, especially in warm weather or near a heater.</p>

<h2>Other common causes</h2>
<ul>
<li><strong>Natural ageing.</strong> Many plants drop one or two of their oldest, lowest leaves from time to time as they put energy into new growth. If the rest of the plant looks healthy, this is nothing to worry about.</li>
<li><strong>Too little light.</strong> Plants in dim corners may yellow and shed leaves, particularly those facing away from the window, and grow long and spindly.</li>
<li><strong>Too much direct sun.</strong> Shade-loving plants can develop pale, bleached or scorched patches.</li>
<li><strong>Nutrient shortage.</strong> A lack of nitrogen tends to yellow older leaves first. A lack of iron or magnesium often causes yellowing between the veins while the veins stay green, with iron shortage showing first on young leaves.</li>
<li><strong>Pests.</strong> Spider mites, thrips and scale insects feed on sap and leave speckled, yellowing foliage. Check the undersides of leaves for fine webbing, tiny moving dots or sticky residue.</li>
<li><strong>Temperature shocks.</strong> Cold draughts, hot radiators and sudden moves can all cause leaves to yellow and drop.</li>
<li><strong>Being pot-bound.</strong> Roots circling tightly inside the pot may be unable to support the plant. Repot into a container one size larger.</li>
</ul>

<h2>Working out what your plant needs</h2>
<ol>
<li><strong>Look at where the yellowing starts.</strong> Old, lower leaves point towards watering, nitrogen or ageing; new leaves point towards iron shortage, pests or temperature stress.</li>
<li><strong>Feel the compost</strong> a few centimetres down before deciding whether to water.</li>
<li><strong>Check the roots</strong> by gently easing the plant out of its pot. Healthy roots are usually firm and pale.</li>
<li><strong>Review light and position</strong>, especially after the seasons change.</li>
<li><strong>Feed during the growing season</strong> with a balanced houseplant fertiliser at the strength on the label, but not in winter when most plants grow slowly.</li>
</ol>
<p>A leaf that has turned fully yellow will rarely turn green again, so it is fine to remove it once you have addressed the cause. Watch the new growth instead: healthy new leaves are the surest sign you have solved the problem. For outdoor beds and larger containers, home-made compost is an excellent way to improve the growing medium; see our guide on <a href="/how-do-you-start-a-compost-pile.htm">starting a compost pile</a>.</p>
""",
        "publish_days_ago": 166,
        "updated_days_ago": 15,
        "image_alt": "Illustration of a potted plant with one leaf fading from green to yellow",
        "palette": ("#4a5d23", "#d4b483"),
    },
    {
        "title": "How Much Does It Cost to Run a Space Heater?",
        "slug": "how-much-does-it-cost-to-run-a-space-heater",
        "category": "home-and-garden",
        "author": "priya-lindqvist",
        "reviewer": None,
        "summary": "You can work out a space heater's running cost from its wattage, the hours you use it and your electricity rate. Here is the simple calculation and ways to cut the bill.",
        "body": """
<p>A portable electric heater can make a cold room comfortable in minutes, and it can be a sensible way to warm one room rather than a whole house. But heaters draw a lot of power, and the cost can surprise people when the bill arrives. The good news is that the running cost is easy to estimate with a few numbers you can find on the heater and on your energy bill.</p>

<h2>The simple calculation</h2>
<p>Electricity is billed by the kilowatt-hour (kWh): the energy used by a one-kilowatt appliance running for one hour. To estimate what a heater costs:</p>
<ol>
<li><strong>Find the wattage.</strong> It is printed on the label or in the manual. Many plug-in heaters are rated at around 1,500 watts on their highest setting, and 2,000 watts or more is common in some countries.</li>
<li><strong>Convert to kilowatts</strong> by dividing by 1,000. A 1,500-watt heater is 1.5 kW.</li>
<li><strong>Multiply by the hours of use</strong> to get kilowatt-hours.</li>
<li><strong>Multiply by your electricity rate</strong>, which is shown on your bill as a price per kWh.</li>
</ol>
<p>For example, a 1.5 kW heater running for eight hours uses 12 kWh. At 0.17 per kWh, that is 2.04 a day, or about 61 over a 30-day month.</p>

<h3>Example costs for a 1.5 kW heater</h3>
<p>The table below uses illustrative rates. Substitute your own tariff in your local currency; rates vary widely by country, supplier and time of day.</p>
<table>
<thead><tr><th>Electricity rate per kWh</th><th>Cost per hour</th><th>Cost for 8 hours</th><th>Cost for 30 days at 8 hours a day</th></tr></thead>
<tbody>
<tr><td>0.12</td><td>0.18</td><td>1.44</td><td>43.20</td></tr>
<tr><td>0.17</td><td>0.26</td><td>2.04</td><td>61.20</td></tr>
<tr><td>0.25</td><td>0.38</td><td>3.00</td><td>90.00</td></tr>
<tr><td>0.30</td><td>0.45</td><td>3.60</td><td>108.00</td></tr>
</tbody>
</table>
<p>These figures assume the heater runs flat out the whole time. In practice, a heater with a thermostat switches on and off to hold a set temperature, so real costs are often lower once the room has warmed up.</p>

<h2>Does the type of heater matter?</h2>
<p>Almost all plug-in electric heaters, whether fan, convector, oil-filled or ceramic, turn nearly all of the electricity they use into heat. None is dramatically more "efficient" than another in that sense. What differs is how they deliver the heat:</p>
<ul>
<li><strong>Fan heaters</strong> warm a room quickly, suiting short bursts of use.</li>
<li><strong>Oil-filled radiators</strong> heat up slowly but release warmth gently and keep giving off heat after switching off.</li>
<li><strong>Radiant or infrared heaters</strong> warm people and objects in their path, which can feel comfortable at a lower room temperature.</li>
</ul>
<p>Heat pumps are a different technology. They move heat from outside air or the ground rather than making it directly, and typically deliver two to four units of heat for every unit of electricity, which makes them much cheaper to run for whole-home heating.</p>

<h2>Ways to cut the cost</h2>
<ul>
<li>Heat only the room you are using, and close its door.</li>
<li>Choose a heater with a thermostat and a timer, or use a <a href="https://www.hearthstonehardware.example/heating/plug-in-thermostat-timers">plug-in thermostat timer</a> so it does not run longer than needed.</li>
<li>Reduce draughts around windows and doors with simple <a href="https://go.hearthstonehardware.example/insulation/draught-excluders">draught-proofing strips</a>.</li>
<li>Compare your tariff: some plans offer cheaper electricity at certain times of day.</li>
</ul>
<h3>Safety first</h3>
<p>Keep heaters about a metre (three feet) from curtains, bedding and furniture, plug them directly into a wall socket rather than an extension lead, and never leave them running unattended or while you sleep. Look for models with tip-over and overheat protection. If running costs are stretching your budget, our guide to building an <a href="/what-is-an-emergency-fund.htm">emergency fund</a> may help you plan for winter bills.</p>
""",
        "publish_days_ago": 19,
        "updated_days_ago": 6,
        "image_alt": "Illustration of a portable heater beside an electricity meter and a small coin stack",
        "palette": ("#3d405b", "#e07a5f"),
    },
]

POLICY_PAGES = [
    {
        "url": "/about/",
        "title": "About WiseGeek",
        "content": """
<p>WiseGeek began in 2003 with a simple idea: that a clear, patient answer to an everyday question is worth writing well. More than two decades later, that is still what we do. We publish plain-language explainers for curious adults, covering health, science, technology, money, and home and garden topics.</p>

<h2>What we publish</h2>
<p>Our articles start from the questions real people ask. Why does my leg hurt when the problem is in my back? How does my phone connect to the internet without a cable? What actually happens to money in a savings account? We aim to answer each question directly, explain the reasoning behind the answer, and point out where the evidence is uncertain or where a professional should be consulted.</p>
<p>We do not publish breaking news, hot takes or sensational headlines. Our titles describe what the article covers, and our summaries tell you what you will learn before you click.</p>

<h2>Who writes for us</h2>
<p>WiseGeek articles are written by a small staff of writers with relevant training and experience, including a registered nurse, a physicist and a certified financial planner. Each writer has a public profile page listing their background and the articles they have written or reviewed.</p>
<p>Health articles are reviewed by a second member of the team before publication and again when they are updated, and we consult outside specialists when a topic falls beyond our own expertise. Every article shows who wrote it, who reviewed it where applicable, when it was first published and when it was last updated.</p>

<h2>Independent since 2003</h2>
<p>WiseGeek is an independent publisher. We are not owned by a media group, a retailer or any of the companies we write about. The site is funded by display advertising and by commissions from some affiliate partners, and we explain exactly how that works on our <a href="/how-we-make-money/">How We Make Money</a> page. Advertisers and partners have no say over what we cover or what we conclude.</p>

<h3>Our principles</h3>
<ul>
<li><strong>Accuracy first.</strong> We check facts against primary sources and correct mistakes openly.</li>
<li><strong>Plain language.</strong> We explain technical terms rather than hiding behind them.</li>
<li><strong>Respect for readers.</strong> No clickbait, no pop-up quizzes, and no tracking scripts from third parties on our pages.</li>
<li><strong>Honesty about limits.</strong> An explainer is not a diagnosis or personal financial advice, and we say so where it matters.</li>
</ul>

<p>We are always glad to hear from readers, whether you have spotted an error, have a question you would like answered, or simply want to tell us an article helped. You can read more about how we research and check our work in <a href="/editorial-process/">Our Editorial Process</a>.</p>
""",
    },
    {
        "url": "/editorial-process/",
        "title": "Our Editorial Process",
        "content": """
<p>Every WiseGeek article goes through the same basic process, whatever the subject. This page explains how we choose topics, how we research and check them, how health content is reviewed, and how we handle corrections and updates.</p>

<h2>Choosing topics</h2>
<p>We write about questions that ordinary readers genuinely ask. Ideas come from reader emails, from the questions people put to our writers in their professional lives, and from looking at which subjects are poorly explained elsewhere. We favour topics where a clear explanation can make a practical difference, such as understanding a symptom, a bill or a piece of household technology. We do not choose topics because an advertiser or affiliate partner has asked us to.</p>

<h2>Research and writing</h2>
<p>Writers work from primary and authoritative sources wherever possible: peer-reviewed research, clinical guidelines from national health bodies, official statistics, technical standards and regulators' publications. Secondary sources such as textbooks are used for background, but key facts and figures are traced back to where they originated. We do not rely on other explainer websites as sources.</p>
<p>Each draft is then edited for accuracy, clarity and tone. Editors check that every factual claim can be supported, that numbers are calculated correctly, and that the article explains uncertainty honestly rather than overstating what is known.</p>

<h3>Expert review for health articles</h3>
<p>Health articles receive an additional review by a second member of the team with relevant training before they are published, and whenever they are substantially revised. Where a topic falls outside our own expertise, we ask a suitably qualified outside specialist to review it. The reviewer's name appears at the top of the article. Our health content is written to help readers understand conditions and treatments; it is not a substitute for advice from a clinician who knows your circumstances.</p>

<h2>Corrections and updates</h2>
<p>We review articles regularly, and sooner when guidelines, prices or technology change. When an article is meaningfully revised, for example with new evidence, updated figures or a clearer explanation, we change the <strong>Updated</strong> date shown beneath the title. We do not change that date for minor edits such as fixing a typing error or a broken link, so the date remains a useful signal.</p>
<p>If we get something wrong, we fix it promptly. Significant factual corrections are noted at the end of the article, describing what was changed. Readers who spot a possible error can email corrections@example.com, and every report is read by an editor.</p>

<h2>Independence from advertisers</h2>
<p>Our writers and editors work separately from the people who manage advertising and partnerships. Advertisers cannot buy coverage, review articles before publication or influence our conclusions. Affiliate links are added only where a product genuinely suits the topic, and they are clearly labelled. You can read the details in <a href="/how-we-make-money/">How We Make Money</a>.</p>
""",
    },
    {
        "url": "/how-we-make-money/",
        "title": "How We Make Money",
        "content": """
<p>WiseGeek is free to read, and we want to keep it that way. Writing and checking careful explainers costs money, so we think readers deserve a straightforward account of where ours comes from. We have two main sources of income.</p>

<h2>Display advertising</h2>
<p>Many pages on WiseGeek show advertisements, which are clearly separated from our articles and labelled as adverts. We are paid according to how often ads are shown and, in some cases, clicked. Ads are served in a way that does not place third-party tracking scripts on our pages, and we do not sell information about individual readers to advertisers.</p>
<p>Advertisers do not choose the topics we cover, see articles before they are published, or have any influence over what we write. If an advertiser's product is relevant to an article, we treat it exactly as we would any other product.</p>

<h2>Affiliate commissions</h2>
<p>Some articles include links to retailers we have partnerships with, such as an online pharmacy, a bookshop, a home and garden store and an electronics retailer. If you follow one of these links and buy something, the retailer may pay us a small commission.</p>
<ul>
<li><strong>It never costs you more.</strong> The price you pay is the same whether or not you arrive through our link.</li>
<li><strong>It never changes what we recommend.</strong> Writers decide what to mention based on what is useful to readers. Affiliate links are added afterwards, only where a suitable product from a partner exists, and we will recommend a product we do not earn from if it is the better choice.</li>
<li><strong>It is always labelled.</strong> Affiliate links are marked as sponsored in the page code, and every article carries our disclosure notice.</li>
</ul>
<p>We keep a full, up-to-date list of the companies we have affiliate relationships with, including when each partnership began, on our <a href="/affiliate-partners/">Affiliate Partners</a> page.</p>

<h2>What we do not do</h2>
<ul>
<li>We do not accept payment for articles, reviews or favourable mentions.</li>
<li>We do not publish sponsored content disguised as editorial articles.</li>
<li>We do not let commercial considerations decide corrections, updates or which articles stay online.</li>
</ul>
<p>For the short version shown at the top of our articles, and an explanation of what it means, see our <a href="/advertiser-disclosure/">Advertiser Disclosure</a>. If you have questions about any of this, we are happy to answer them.</p>
""",
    },
    {
        "url": "/advertiser-disclosure/",
        "title": "Advertiser Disclosure",
        "content": """
<p>At the top of our articles you will see a short notice: <strong>"We are independent &amp; ad-supported. We may earn a commission for purchases made through our links."</strong> This page explains what that sentence means and why we show it.</p>

<h2>What "independent" means</h2>
<p>WiseGeek has been independently owned since it was founded in 2003. No retailer, manufacturer, advertiser or media group owns us or has a say in our editorial decisions. Our writers choose topics and reach conclusions based on evidence and on what will be most useful to readers, following the standards described in <a href="/editorial-process/">Our Editorial Process</a>.</p>

<h2>What "ad-supported" means</h2>
<p>We do not charge readers. Instead, the site is funded mainly by display advertising. Advertisements are visually separated from article text and labelled so that you can always tell which is which. Buying advertising space does not buy coverage, influence or advance access to our articles.</p>

<h2>What "we may earn a commission" means</h2>
<p>Some articles contain links to products sold by our affiliate partners. When you click one of those links and make a purchase, the retailer may pay WiseGeek a percentage of the sale. A few points are worth knowing:</p>
<ul>
<li>The price you pay is not affected by our commission.</li>
<li>Not every link in an article is an affiliate link. Links to other WiseGeek articles, and many links to official bodies and research, earn us nothing.</li>
<li>Affiliate links are marked with the <em>sponsored</em> attribute in the page code, which tells search engines that the link is commercial.</li>
<li>We include affiliate links only where a partner's product genuinely fits what the article is about. Commissions play no part in whether a product is mentioned or how it is described.</li>
</ul>

<h3>Who our partners are</h3>
<p>We believe you should be able to see exactly which companies we have commercial relationships with. Our <a href="/affiliate-partners/">Affiliate Partners</a> page lists every current partner, the web addresses its links use, and the date the relationship began.</p>

<h2>Why we tell you this</h2>
<p>Trust is the most valuable thing an explainer site has. Being open about how we are funded lets you judge our work with all the relevant facts in front of you. If you ever think a WiseGeek article has been shaped by commercial interests rather than by the evidence, please tell us; we take such concerns seriously and will review the article.</p>
<p>You can read a fuller explanation of our funding on our <a href="/how-we-make-money/">How We Make Money</a> page.</p>
""",
    },
    {
        "url": "/privacy/",
        "title": "Privacy Policy",
        "content": """
<p>This policy explains what information WiseGeek collects when you use the site, why we collect it, how long we keep it and what choices you have. We try to collect as little as possible, and we do not sell personal information to anyone.</p>

<h2>Information we collect</h2>
<h3>Server logs</h3>
<p>Like almost every website, our servers automatically record basic technical details about each request: the page requested, the date and time, your IP address, and the browser and device type your browser reports. We use these logs to keep the site running, diagnose faults, and detect abuse such as spam or attacks. Logs are kept for a limited period, normally no longer than 90 days, and are not used to build profiles of individual readers.</p>
<h3>Comments</h3>
<p>If you leave a comment, we store the name you give, the comment itself, your email address and the time it was posted. Your email address is never shown publicly; we use it only to contact you about your comment if necessary. Published comments stay on the site until the article is removed or you ask us to delete them.</p>
<h3>Newsletter sign-ups</h3>
<p>If you subscribe to our newsletter, we store your email address together with a record of your consent: when you signed up, which form you used and the wording you agreed to. We keep this record so that we can show that you asked to hear from us. We use your address only to send the newsletter.</p>

<h2>What we do not do</h2>
<ul>
<li>We do not place third-party tracking scripts, social media pixels or cross-site advertising trackers on our pages.</li>
<li>We do not sell, rent or trade personal information.</li>
<li>We do not share your details with our affiliate partners. If you follow a link to a partner's site, that company's own privacy policy applies to anything you do there.</li>
</ul>

<h2>Your choices and rights</h2>
<ol>
<li><strong>Unsubscribing.</strong> Every newsletter includes a one-click unsubscribe link. Once you unsubscribe, we stop sending mail immediately and keep only the minimum record needed to respect your choice.</li>
<li><strong>Access and deletion.</strong> You can ask us for a copy of the personal information we hold about you, ask us to correct it, or ask us to delete it, including comments and newsletter records.</li>
<li><strong>Questions and complaints.</strong> If you are unhappy with how we have handled your information, please contact us first; you may also have the right to complain to the data protection authority where you live.</li>
</ol>

<h2>Contact</h2>
<p>To make a request or ask a question about privacy, email <strong>privacy@example.com</strong>. We aim to respond within 30 days. We may update this policy from time to time, and the date of the latest change will always be shown on this page.</p>
""",
    },
]
