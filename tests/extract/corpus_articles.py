"""Original Indonesian articles (written for pantau's test corpus) as structured data.

``make_corpus.py`` renders each into several outlet layouts; the expected JSON comes from this
data, never from the extractor. Fictional events and people.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Story:
    key: str
    title: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    editor: str
    published: str  # local wall clock "YYYY-MM-DD HH:MM"
    section: str
    tags: tuple[str, ...]
    place: str
    standfirst: str
    caption: str
    read_also: tuple[str, str]
    initials: str
    bullets: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    quote: str = ""
    tweet: str = ""
    updated: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


STORIES: tuple[Story, ...] = (
    Story(
        key="banjir",
        title="Banjir Rendam Lima Kelurahan di Bekasi, Ratusan Warga Mengungsi",
        paragraphs=(
            "Hujan deras yang mengguyur sejak Rabu malam membuat lima kelurahan di Kota Bekasi "
            "terendam banjir dengan ketinggian air mencapai 120 sentimeter pada Kamis pagi.",
            "Kepala Badan Penanggulangan Bencana Daerah setempat, Rahmat Hidayat, mengatakan "
            "sedikitnya 340 warga telah dievakuasi ke masjid dan gedung sekolah terdekat.",
            "Menurut dia, petugas gabungan menyiagakan enam perahu karet serta dapur umum di dua "
            "titik pengungsian untuk memenuhi kebutuhan makan warga selama tiga hari ke depan.",
            "Warga Perumahan Pondok Mitra, Sulastri, mengaku air mulai masuk ke rumahnya sekitar "
            "pukul 02.00 dan terus naik hingga menjelang subuh.",
            "Pemerintah kota berencana mempercepat normalisasi saluran di sepanjang Kali Bekasi "
            "yang dinilai sudah tidak mampu menampung debit air saat hujan lebat.",
        ),
        authors=("Ahmad Fauzi",),
        editor="Dewi Lestari",
        published="2026-11-19 08:15",
        section="Metropolitan",
        tags=("banjir", "Bekasi", "BPBD"),
        place="BEKASI",
        standfirst="Ratusan warga Bekasi mengungsi setelah banjir setinggi 120 sentimeter "
        "merendam lima kelurahan.",
        caption="Warga menerobos banjir di Jalan Pondok Mitra, Bekasi, Kamis pagi.",
        read_also=("Tanggul Kali Bekasi Kembali Jebol", "BMKG: Hujan Lebat Masih Berlanjut"),
        initials="(fyk/ash)",
        bullets=(
            "Kelurahan Jatirasa dengan 120 kepala keluarga terdampak",
            "Kelurahan Jatimekar dengan 85 kepala keluarga terdampak",
            "Kelurahan Pekayon Jaya dengan 60 kepala keluarga terdampak",
        ),
    ),
    Story(
        key="gempa",
        title="Gempa Magnitudo 5,4 Guncang Ambon, Warga Sempat Panik",
        paragraphs=(
            "Gempa bumi bermagnitudo 5,4 mengguncang wilayah Kota Ambon dan sekitarnya pada Selasa "
            "pagi, membuat warga berhamburan keluar dari rumah.",
            "Badan Meteorologi, Klimatologi, dan Geofisika mencatat pusat gempa berada di laut "
            "pada kedalaman 18 kilometer, sekitar 40 kilometer barat daya kota.",
            "Kepala stasiun geofisika setempat, Yohanes Latuconsina, memastikan gempa tersebut "
            "tidak berpotensi menimbulkan tsunami.",
            "Hingga siang hari, petugas belum menerima laporan korban jiwa, namun dua bangunan "
            "sekolah di Kecamatan Nusaniwe mengalami retak pada dinding.",
        ),
        authors=("Maria Tuhuteru",),
        editor="Budi Santoso",
        published="2026-08-04 07:42",
        section="Nusantara",
        tags=("gempa", "Ambon", "BMKG"),
        place="AMBON",
        standfirst="Gempa bermagnitudo 5,4 mengguncang Ambon tanpa potensi tsunami.",
        caption="Warga berkumpul di halaman kantor kelurahan setelah gempa, Selasa pagi.",
        read_also=("Sekolah di Nusaniwe Diliburkan Sementara", "Cara Aman Menghadapi Gempa"),
        initials="(mt/bs)",
        table=(
            ("Parameter", "Nilai"),
            ("Magnitudo", "5,4"),
            ("Kedalaman", "18 km"),
            ("Lokasi", "40 km barat daya Ambon"),
        ),
    ),
    Story(
        key="beras",
        title="Harga Beras Medium Naik di Pasar Tradisional Makassar",
        paragraphs=(
            "Harga beras medium di sejumlah pasar tradisional Makassar naik menjadi Rp14.500 per "
            "kilogram dalam dua pekan terakhir.",
            "Pedagang di Pasar Terong, Hasnah, mengatakan kenaikan terjadi karena pasokan dari "
            "daerah sentra produksi di Sidrap dan Pinrang berkurang.",
            "Dinas Perdagangan setempat berencana menggelar operasi pasar di delapan kecamatan "
            "mulai pekan depan untuk menekan harga.",
            "Kepala dinas, Andi Mappaseng, meminta warga tidak membeli beras secara berlebihan "
            "karena stok di gudang Bulog dinilai masih mencukupi hingga akhir tahun.",
        ),
        authors=("Nurhayati Sahabuddin",),
        editor="Irwan Syam",
        published="2026-10-14 10:40",
        section="Ekonomi",
        tags=("harga beras", "Makassar", "operasi pasar"),
        place="MAKASSAR",
        standfirst="Harga beras medium di Makassar naik menjadi Rp14.500 per kilogram.",
        caption="Pedagang menata karung beras di Pasar Terong, Makassar.",
        read_also=("Bulog Sulsel Salurkan Beras SPHP", "Inflasi Makassar Terkendali"),
        initials="(nhs/irs)",
        quote="Stok kami aman sampai akhir tahun, masyarakat tidak perlu panik membeli beras.",
    ),
    Story(
        key="timnas",
        title="Timnas U-23 Menang 2-0 atas Vietnam di Laga Uji Coba",
        paragraphs=(
            "Tim nasional Indonesia U-23 menang 2-0 atas Vietnam dalam laga uji coba di Stadion "
            "Madya, Senayan, Jakarta, Sabtu malam.",
            "Dua gol Garuda Muda dicetak oleh Rizky Pratama pada menit ke-23 dan Fajar Nugroho "
            "lewat sundulan pada menit ke-71.",
            "Pelatih tim nasional mengatakan hasil ini menjadi modal penting menjelang babak "
            "kualifikasi Piala Asia yang akan berlangsung bulan depan.",
            "Meski menang, ia menilai lini belakang masih perlu dibenahi karena beberapa kali "
            "kehilangan konsentrasi saat menghadapi serangan balik lawan.",
        ),
        authors=("Yoga Pratama", "Sinta Maharani"),
        editor="Hendra Gunawan",
        published="2026-12-05 21:30",
        section="Sepakbola",
        tags=("timnas U-23", "Vietnam", "uji coba"),
        place="JAKARTA",
        standfirst="Garuda Muda menang 2-0 atas Vietnam lewat gol Rizky dan Fajar.",
        caption="Pemain timnas U-23 merayakan gol ke gawang Vietnam di Stadion Madya.",
        read_also=("Jadwal Kualifikasi Piala Asia U-23", "Profil Rizky Pratama"),
        initials="(yp/hg)",
        tweet="Garuda Muda menang! Terima kasih dukungan suporter di Stadion Madya malam ini.",
    ),
    Story(
        key="ikn",
        title="Progres Pembangunan Kawasan Inti IKN Capai 72 Persen",
        paragraphs=(
            "Pembangunan kawasan inti pusat pemerintahan di Ibu Kota Nusantara telah mencapai 72 "
            "persen hingga akhir Oktober.",
            "Kepala otorita mengatakan sebagian besar gedung kementerian koordinator sudah "
            "memasuki tahap penyelesaian interior dan instalasi jaringan.",
            "Pemerintah menargetkan pemindahan aparatur sipil negara tahap pertama dapat dimulai "
            "pada pertengahan tahun depan setelah hunian pegawai siap dihuni.",
            "Sementara itu, pembangunan jalan tol penghubung Balikpapan menuju kawasan inti "
            "dilaporkan sudah dapat dilalui kendaraan secara fungsional.",
            "Otorita juga menyiapkan program pelatihan bagi warga lokal agar dapat terlibat dalam "
            "pengelolaan kawasan setelah kota mulai beroperasi.",
        ),
        authors=("Rina Ayu Lestari",),
        editor="Agus Salim",
        published="2026-11-02 13:05",
        section="Nasional",
        tags=("IKN", "Nusantara", "infrastruktur"),
        place="BALIKPAPAN",
        standfirst="Kawasan inti pusat pemerintahan IKN ditargetkan siap dihuni tahun depan.",
        caption="Suasana pembangunan gedung kementerian di kawasan inti IKN.",
        read_also=("Tol Balikpapan-IKN Dibuka Fungsional", "ASN Mulai Pindah Tahun Depan"),
        initials="(ral/as)",
        updated="2026-11-02 15:20",
    ),
    Story(
        key="dbd",
        title="Kasus Demam Berdarah di Surabaya Meningkat di Awal Musim Hujan",
        paragraphs=(
            "Dinas Kesehatan Kota Surabaya mencatat 214 kasus demam berdarah dengue sepanjang "
            "Oktober, naik hampir dua kali lipat dibanding bulan sebelumnya.",
            "Kepala dinas, dr Lilik Setyawati, mengimbau warga menggiatkan gerakan menguras, "
            "menutup, dan mendaur ulang barang bekas di lingkungan rumah.",
            "Puskesmas di 31 kecamatan diminta melaporkan setiap kasus baru dalam waktu 24 jam "
            "agar petugas dapat segera melakukan penyelidikan epidemiologi.",
            "Pemerintah kota juga menambah jadwal pengasapan di kelurahan dengan jumlah kasus "
            "tertinggi, terutama di wilayah Surabaya bagian timur.",
        ),
        authors=("Bagus Wicaksono",),
        editor="Fitri Handayani",
        published="2026-11-18 09:10",
        section="Kesehatan",
        tags=("DBD", "Surabaya", "musim hujan"),
        place="SURABAYA",
        standfirst="Kasus DBD di Surabaya naik hampir dua kali lipat pada Oktober.",
        caption="Petugas melakukan pengasapan di permukiman warga Surabaya.",
        read_also=("Gejala DBD yang Perlu Diwaspadai", "Stok Trombosit PMI Menipis"),
        initials="(bw/fh)",
        bullets=(
            "Menguras tempat penampungan air sepekan sekali",
            "Menutup rapat wadah air",
            "Mendaur ulang barang bekas yang bisa menampung air",
        ),
    ),
    Story(
        key="pelabuhan",
        title="Pedagang Pasar Youtefa Jayapura Mulai Tempati Los Baru",
        paragraphs=(
            "Ratusan pedagang Pasar Youtefa di Jayapura mulai menempati los baru setelah "
            "revitalisasi pasar rampung pekan lalu.",
            "Ketua paguyuban pedagang, Yakobus Wenda, mengatakan los baru lebih bersih dan tidak "
            "lagi tergenang saat hujan turun.",
            "Pemerintah kota menyediakan 420 los dan 180 kios yang dibagikan melalui undian "
            "terbuka untuk menghindari kecemburuan antarpedagang.",
            "Mama-mama pedagang pinang dan sayur mendapat area khusus di lantai dasar agar mudah "
            "dijangkau pembeli.",
        ),
        authors=("Yulianus Kogoya",),
        editor="Marthen Rumbiak",
        published="2026-11-16 10:30",
        section="Papua",
        tags=("Pasar Youtefa", "Jayapura"),
        place="JAYAPURA",
        standfirst="Revitalisasi Pasar Youtefa rampung, pedagang pindah ke los baru.",
        caption="Pedagang menata dagangan di los baru Pasar Youtefa, Jayapura.",
        read_also=("Harga Pinang Naik Jelang Natal", "Jayapura Bangun Terminal Baru"),
        initials="(yk/mr)",
    ),
    Story(
        key="startup",
        title="Startup Bandung Kembangkan Aplikasi Pendeteksi Hama Padi",
        paragraphs=(
            "Sebuah perusahaan rintisan asal Bandung mengembangkan aplikasi yang dapat mendeteksi "
            "serangan hama pada tanaman padi hanya dari foto daun.",
            "Pendiri perusahaan, Arief Kurniawan, mengatakan aplikasi tersebut dilatih dengan "
            "lebih dari 50.000 foto yang dikumpulkan bersama kelompok tani di Jawa Barat.",
            "Petani cukup memotret daun yang terlihat rusak, lalu aplikasi akan menampilkan jenis "
            "hama beserta saran penanganan dalam bahasa Indonesia dan bahasa Sunda.",
            "Uji coba di Kabupaten Subang menunjukkan penggunaan pestisida dapat ditekan hingga "
            "30 persen karena penyemprotan dilakukan lebih tepat sasaran.",
        ),
        authors=("Dinda Permata",),
        editor="Rudi Hartono",
        published="2026-11-17 11:00",
        section="Teknologi",
        tags=("startup", "pertanian", "Bandung"),
        place="BANDUNG",
        standfirst="Aplikasi buatan startup Bandung mendeteksi hama padi dari foto daun.",
        caption="Petani di Subang mencoba aplikasi pendeteksi hama padi.",
        read_also=("Petani Muda Subang Panen Raya", "Kementan Dorong Digitalisasi Pertanian"),
        initials="(dp/rh)",
        quote="Kami ingin petani tidak lagi menebak-nebak jenis hama yang menyerang sawahnya.",
    ),
    Story(
        key="rupiah",
        title="Rupiah Menguat ke Level Rp15.400 per Dolar AS",
        paragraphs=(
            "Nilai tukar rupiah terhadap dolar Amerika Serikat menguat 0,4 persen ke level "
            "Rp15.400 pada penutupan perdagangan Jumat sore.",
            "Analis pasar uang, Lukman Hakim, menilai penguatan didorong oleh masuknya kembali "
            "dana asing ke pasar obligasi pemerintah.",
            "Data inflasi Amerika Serikat yang lebih rendah dari perkiraan juga menekan indeks "
            "dolar terhadap mata uang negara berkembang.",
            "Ia memperkirakan rupiah masih akan bergerak di kisaran Rp15.350 hingga Rp15.500 "
            "pada pekan depan.",
        ),
        authors=("Hendra Kusuma",),
        editor="Ratna Sari",
        published="2026-12-11 16:20",
        section="Ekonomi",
        tags=("rupiah", "dolar AS", "pasar uang"),
        place="JAKARTA",
        standfirst="Rupiah menguat 0,4 persen didorong masuknya dana asing.",
        caption="Petugas menghitung uang dolar AS di tempat penukaran valuta asing.",
        read_also=("IHSG Ditutup Menguat", "Cadangan Devisa Naik"),
        initials="(hk/rs)",
        table=(("Mata uang", "Kurs"), ("USD", "15.400"), ("SGD", "11.480"), ("JPY", "103,2")),
    ),
    Story(
        key="wisata",
        title="Kunjungan Wisatawan Mancanegara ke Bali Naik 12 Persen",
        paragraphs=(
            "Jumlah kunjungan wisatawan mancanegara ke Bali pada Oktober mencapai 560.000 orang, "
            "naik 12 persen dibanding bulan yang sama tahun lalu.",
            "Badan Pusat Statistik provinsi mencatat wisatawan asal Australia masih mendominasi, "
            "disusul wisatawan dari India dan China.",
            "Kepala dinas pariwisata, I Made Wirawan, mengatakan kenaikan ditopang bertambahnya "
            "rute penerbangan langsung ke Bandara Ngurah Rai.",
            "Pemerintah provinsi kini menyiapkan aturan pungutan wisatawan asing yang hasilnya "
            "akan dipakai untuk pelestarian budaya dan lingkungan.",
        ),
        authors=("Komang Ariani",),
        editor="Putu Suardana",
        published="2026-11-15 14:05",
        section="Pariwisata",
        tags=("Bali", "wisatawan mancanegara", "BPS"),
        place="DENPASAR",
        standfirst="Wisman ke Bali naik 12 persen, Australia masih terbanyak.",
        caption="Wisatawan asing menikmati matahari terbenam di Pantai Kuta.",
        read_also=("Ngurah Rai Tambah Rute ke India", "Pungutan Wisman Mulai Berlaku"),
        initials="(ka/ps)",
        updated="2026-11-15 18:45",
    ),
    Story(
        key="sekolah",
        title="Ribuan Guru Honorer di Medan Ikuti Seleksi PPPK",
        paragraphs=(
            "Sebanyak 3.200 guru honorer di Kota Medan mengikuti seleksi pegawai pemerintah "
            "dengan perjanjian kerja yang digelar selama tiga hari.",
            "Kepala badan kepegawaian daerah, Syahrul Nasution, mengatakan seleksi dilakukan "
            "dengan sistem komputer di empat lokasi ujian.",
            "Peserta yang lulus akan diumumkan pada akhir bulan dan mulai bertugas pada awal "
            "tahun ajaran berikutnya.",
            "Sejumlah peserta berharap kuota formasi guru ditambah karena kebutuhan guru di "
            "sekolah pinggiran kota masih tinggi.",
        ),
        authors=("Putri Siregar",),
        editor="Darwin Lubis",
        published="2026-09-22 08:00",
        section="Pendidikan",
        tags=("PPPK", "guru honorer", "Medan"),
        place="MEDAN",
        standfirst="Sebanyak 3.200 guru honorer Medan ikut seleksi PPPK.",
        caption="Peserta seleksi PPPK antre di lokasi ujian di Medan.",
        read_also=("Kuota PPPK Guru Ditambah", "Jadwal Pengumuman Seleksi"),
        initials="(ps/dl)",
    ),
    Story(
        key="kereta",
        title="Jadwal Kereta Cepat Ditambah Selama Libur Akhir Tahun",
        paragraphs=(
            "Operator kereta cepat Jakarta-Bandung menambah 12 perjalanan per hari selama masa "
            "libur Natal dan Tahun Baru.",
            "Juru bicara perusahaan, Anindya Putri, mengatakan tambahan jadwal berlaku mulai 20 "
            "Desember hingga 5 Januari.",
            "Penjualan tiket untuk periode tersebut sudah dibuka melalui aplikasi dan loket "
            "stasiun sejak awal bulan.",
            "Perusahaan juga menyiapkan bus pengumpan tambahan dari Stasiun Padalarang menuju "
            "pusat Kota Bandung untuk mengurai kepadatan penumpang.",
        ),
        authors=("Galih Saputra",),
        editor="Wulan Sari",
        published="2026-12-01 12:15",
        section="Bisnis",
        tags=("kereta cepat", "libur akhir tahun", "Whoosh"),
        place="JAKARTA",
        standfirst="Kereta cepat tambah 12 perjalanan per hari selama libur Nataru.",
        caption="Penumpang menunggu kereta cepat di Stasiun Halim.",
        read_also=("Tiket Kereta Nataru Mulai Dijual", "Arus Mudik Diprediksi Naik"),
        initials="(gs/ws)",
        bullets=("Perjalanan pagi pukul 05.30", "Perjalanan malam pukul 21.45"),
    ),
)


def by_key(key: str) -> Story:
    for story in STORIES:
        if story.key == key:
            return story
    raise KeyError(key)
