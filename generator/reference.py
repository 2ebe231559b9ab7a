"""Static reference data: Brazilian geography (real IBGE codes), pt-BR names, catalogue words.

Everything here is plain tuples; the builders pick from them with numpy index arrays.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    state: str
    ibge_code: str
    ddd: str  # telephone area code
    cep_base: int  # first 5 digits of the city's CEP range
    cep_span: int  # how many 5-digit prefixes the city covers
    has_region: bool  # one of the 15 cities with a row in core.regions


STATES: dict[str, tuple[str, str]] = {
    # UF: (state name, macro-region)
    "AM": ("Amazonas", "Norte"),
    "PA": ("Pará", "Norte"),
    "RO": ("Rondônia", "Norte"),
    "BA": ("Bahia", "Nordeste"),
    "PE": ("Pernambuco", "Nordeste"),
    "CE": ("Ceará", "Nordeste"),
    "RN": ("Rio Grande do Norte", "Nordeste"),
    "PB": ("Paraíba", "Nordeste"),
    "PI": ("Piauí", "Nordeste"),
    "MA": ("Maranhão", "Nordeste"),
    "AL": ("Alagoas", "Nordeste"),
    "SE": ("Sergipe", "Nordeste"),
    "DF": ("Distrito Federal", "Centro-Oeste"),
    "GO": ("Goiás", "Centro-Oeste"),
    "MS": ("Mato Grosso do Sul", "Centro-Oeste"),
    "MT": ("Mato Grosso", "Centro-Oeste"),
    "SP": ("São Paulo", "Sudeste"),
    "RJ": ("Rio de Janeiro", "Sudeste"),
    "MG": ("Minas Gerais", "Sudeste"),
    "ES": ("Espírito Santo", "Sudeste"),
    "PR": ("Paraná", "Sul"),
    "RS": ("Rio Grande do Sul", "Sul"),
    "SC": ("Santa Catarina", "Sul"),
}

# The first 15 are the region cities (3 per macro-region); the others have no region row.
CITIES: tuple[City, ...] = (
    City("Manaus", "AM", "1302603", "92", 69000, 100, True),
    City("Belém", "PA", "1501402", "91", 66000, 100, True),
    City("Porto Velho", "RO", "1100205", "69", 76800, 30, True),
    City("Salvador", "BA", "2927408", "71", 40000, 200, True),
    City("Recife", "PE", "2611606", "81", 50000, 200, True),
    City("Fortaleza", "CE", "2304400", "85", 60000, 200, True),
    City("Brasília", "DF", "5300108", "61", 70000, 300, True),
    City("Goiânia", "GO", "5208707", "62", 74000, 100, True),
    City("Campo Grande", "MS", "5002704", "67", 79000, 100, True),
    City("São Paulo", "SP", "3550308", "11", 1000, 5000, True),
    City("Rio de Janeiro", "RJ", "3304557", "21", 20000, 400, True),
    City("Belo Horizonte", "MG", "3106200", "31", 30000, 200, True),
    City("Curitiba", "PR", "4106902", "41", 80000, 300, True),
    City("Porto Alegre", "RS", "4314902", "51", 90000, 200, True),
    City("Florianópolis", "SC", "4205407", "48", 88000, 100, True),
    City("Campinas", "SP", "3509502", "19", 13000, 140, False),
    City("Santos", "SP", "3548500", "13", 11000, 100, False),
    City("Niterói", "RJ", "3303302", "21", 24000, 400, False),
    City("Uberlândia", "MG", "3170206", "34", 38400, 30, False),
    City("Londrina", "PR", "4113700", "43", 86000, 100, False),
    City("Joinville", "SC", "4209102", "47", 89200, 40, False),
    City("Caxias do Sul", "RS", "4305108", "54", 95000, 100, False),
    City("Natal", "RN", "2408102", "84", 59000, 160, False),
    City("João Pessoa", "PB", "2507507", "83", 58000, 100, False),
    City("Teresina", "PI", "2211001", "86", 64000, 100, False),
    City("São Luís", "MA", "2111300", "98", 65000, 100, False),
    City("Cuiabá", "MT", "5103403", "65", 78000, 100, False),
    City("Vitória", "ES", "3205309", "27", 29000, 100, False),
    City("Maceió", "AL", "2704302", "82", 57000, 100, False),
    City("Aracaju", "SE", "2800308", "79", 49000, 100, False),
)
REGION_CITY_COUNT = 15

MALE_FIRST_NAMES = (
    "João", "Pedro", "Lucas", "Gabriel", "Matheus", "Rafael", "Gustavo", "Felipe", "Bruno",
    "Thiago", "Rodrigo", "Carlos", "Eduardo", "André", "Marcelo", "Fernando", "Ricardo",
    "Diego", "Vinícius", "Leonardo", "Paulo", "José", "Antônio", "Francisco", "Daniel",
    "Henrique", "Caio", "Igor", "Otávio", "Samuel", "Miguel", "Arthur", "Heitor", "Davi",
    "Bernardo", "Murilo", "Enzo", "Vitor", "Renato", "Sérgio",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
    "Maria", "Ana", "Juliana", "Mariana", "Fernanda", "Camila", "Beatriz", "Larissa", "Amanda",
    "Letícia", "Gabriela", "Patrícia", "Aline", "Bruna", "Carolina", "Luana", "Vanessa",
    "Renata", "Natália", "Isabela", "Júlia", "Laura", "Sofia", "Alice", "Helena", "Valentina",
    "Lívia", "Manuela", "Cecília", "Lorena", "Débora", "Tatiane", "Priscila", "Raquel",
    "Simone", "Cláudia", "Adriana", "Luciana", "Daniela", "Eduarda",
)  # fmt: skip
LAST_NAMES = (
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
    "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares",
    "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira",
    "Nunes", "Marques", "Machado", "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves",
    "Santana", "Teixeira", "Araújo", "Pinto", "Correia", "Cavalcanti", "Monteiro", "Moura",
    "Batista", "Campos", "Rezende", "Farias", "Castro", "Azevedo", "Pires", "Brito", "Melo",
)  # fmt: skip
COMPANY_WORDS = (
    "Comércio", "Distribuidora", "Soluções", "Tecnologia", "Atacado", "Serviços",
    "Indústria", "Logística", "Importadora", "Varejo", "Construções", "Alimentos",
)  # fmt: skip
COMPANY_SUFFIXES = ("Ltda", "S.A.", "ME", "EIRELI", "EPP")
EMAIL_DOMAINS = (
    "gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br", "uol.com.br", "bol.com.br",
    "terra.com.br", "icloud.com",
)  # fmt: skip
STREET_TYPES = ("Rua", "Avenida", "Travessa", "Alameda", "Praça")
STREET_NAMES = (
    "das Flores", "Brasil", "Sete de Setembro", "XV de Novembro", "Tiradentes", "São João",
    "Getúlio Vargas", "Dom Pedro II", "das Palmeiras", "Santos Dumont", "Rio Branco",
    "Marechal Deodoro", "Presidente Vargas", "Barão do Rio Branco", "da Liberdade",
    "Independência", "dos Andradas", "Vinte e Cinco de Março", "Boa Vista", "Paulista",
)  # fmt: skip
DISTRICTS = (
    "Centro", "Jardim América", "Vila Nova", "Boa Vista", "Santa Cruz", "Bela Vista",
    "Jardim Europa", "Vila Mariana", "Copacabana", "Savassi", "Batel", "Moinhos de Vento",
    "Aldeota", "Boa Viagem", "Pituba", "Asa Sul", "Setor Bueno", "Trindade", "Ponta Negra",
    "Umarizal", "Liberdade", "São Cristóvão", "Santo Antônio", "Industrial", "Vila Operária",
)  # fmt: skip

SUPPLIER_WORDS = (
    "Atlas", "Nova Era", "Horizonte", "Aurora", "Prime", "Vale Verde", "Estrela", "Sol Nascente",
    "Delta", "Pioneira", "Rio Doce", "Serra Azul", "Ouro Branco", "Primavera", "Netuno",
    "Bandeirantes", "Cruzeiro", "Tropical", "Pantanal", "Litoral",
)  # fmt: skip
SUPPLIER_KINDS = ("Distribuidora", "Importadora", "Comercial", "Indústria", "Atacadista")
SUPPLIER_COUNTRIES = ("Brasil", "China", "Estados Unidos", "Alemanha", "Japão", "Coreia do Sul")
SUPPLIER_COUNTRY_WEIGHTS = (0.7, 0.14, 0.06, 0.04, 0.03, 0.03)


@dataclass(frozen=True)
class Category:
    name: str
    subcategories: tuple[str, ...]
    brands: tuple[str, ...]
    price_min: float  # list price range in BRL
    price_max: float
    weight_kg: tuple[float, float]
    perishable: bool = False
    refrigerated: bool = False
    fragile: float = 0.1  # share of fragile products
    minimum_age: int = 0  # 0: no age restriction (minimum_age NULL)
    commission: float = 4.0  # sales commission, percent of the item's net amount


CATEGORIES: tuple[Category, ...] = (
    Category(
        "Eletrônicos",
        ("Smartphones", "Fones de Ouvido", "Televisores", "Caixas de Som", "Smartwatches"),
        ("Samsung", "Motorola", "Xiaomi", "LG", "JBL", "Apple", "Philips"),
        150,
        8000,
        (0.1, 25),
        fragile=0.8,
        commission=2.5,
    ),
    Category(
        "Informática",
        ("Notebooks", "Monitores", "Teclados", "Mouses", "Impressoras", "Armazenamento"),
        ("Dell", "Lenovo", "HP", "Logitech", "Positivo", "Acer", "Kingston"),
        40,
        9000,
        (0.1, 8),
        fragile=0.6,
        commission=3.0,
    ),
    Category(
        "Eletrodomésticos",
        ("Geladeiras", "Fogões", "Micro-ondas", "Lavadoras", "Liquidificadores", "Cafeteiras"),
        ("Brastemp", "Consul", "Electrolux", "Mondial", "Arno", "Britânia", "Oster"),
        90,
        6000,
        (1, 90),
        fragile=0.5,
        commission=3.5,
    ),
    Category(
        "Casa e Decoração",
        ("Cama", "Mesa e Banho", "Iluminação", "Tapetes", "Organização", "Utilidades"),
        ("Tok&Stok", "Camesa", "Santista", "Tramontina", "Coza", "Oxford"),
        15,
        1200,
        (0.2, 15),
        fragile=0.3,
        commission=5.0,
    ),
    Category(
        "Moda",
        ("Camisetas", "Calças", "Vestidos", "Calçados", "Bolsas", "Acessórios"),
        ("Hering", "Reserva", "Havaianas", "Colcci", "Farm", "Osklen", "Olympikus"),
        25,
        900,
        (0.1, 2),
        fragile=0.02,
        commission=6.0,
    ),
    Category(
        "Esporte e Lazer",
        ("Bicicletas", "Fitness", "Camping", "Futebol", "Natação"),
        ("Caloi", "Penalty", "Topper", "Speedo", "Nautika", "Mormaii"),
        20,
        4000,
        (0.1, 20),
        fragile=0.05,
        commission=4.5,
    ),
    Category(
        "Beleza e Saúde",
        ("Perfumes", "Maquiagem", "Cuidados com a Pele", "Cabelos", "Suplementos"),
        ("Natura", "O Boticário", "Eudora", "Avon", "Granado", "Vult", "Growth"),
        12,
        600,
        (0.05, 2),
        perishable=True,
        fragile=0.3,
        commission=5.5,
    ),
    Category(
        "Brinquedos",
        ("Bonecas", "Jogos de Tabuleiro", "Blocos de Montar", "Carrinhos", "Pelúcias"),
        ("Estrela", "Grow", "Mattel", "Hasbro", "Lego", "Toyster"),
        20,
        800,
        (0.1, 5),
        fragile=0.1,
        minimum_age=3,
        commission=5.0,
    ),
    Category(
        "Livros",
        ("Literatura", "Negócios", "Infantil", "Tecnologia", "Autoajuda"),
        ("Companhia das Letras", "Rocco", "Intrínseca", "Sextante", "Novatec", "Record"),
        20,
        250,
        (0.1, 2),
        fragile=0.0,
        commission=4.0,
    ),
    Category(
        "Alimentos e Bebidas",
        ("Cafés", "Vinhos", "Chocolates", "Laticínios", "Orgânicos"),
        ("Três Corações", "Nestlé", "Garoto", "Miolo", "Itambé", "Mãe Terra"),
        8,
        350,
        (0.1, 6),
        perishable=True,
        refrigerated=True,
        fragile=0.2,
        minimum_age=0,
        commission=3.0,
    ),
    Category(
        "Pet Shop",
        ("Rações", "Petiscos", "Brinquedos Pet", "Higiene Pet", "Acessórios Pet"),
        ("Pedigree", "Whiskas", "Golden", "Premier", "Royal Canin"),
        10,
        500,
        (0.1, 20),
        perishable=True,
        fragile=0.02,
        commission=4.0,
    ),
    Category(
        "Ferramentas",
        ("Furadeiras", "Ferramentas Manuais", "Jardinagem", "Medição", "Elétrica"),
        ("Bosch", "Makita", "Vonder", "Tramontina", "Stanley", "Black+Decker"),
        15,
        3000,
        (0.1, 15),
        fragile=0.1,
        minimum_age=18,
        commission=4.0,
    ),
)

PRODUCT_LINES = ("Essencial", "Premium", "Profissional", "Básica", "Exclusiva")
COLORS = ("Preto", "Branco", "Prata", "Azul", "Vermelho", "Verde", "Cinza", "Rosa", "Dourado")
MATERIALS = ("Plástico", "Metal", "Algodão", "Vidro", "Madeira", "Couro", "Aço Inox", "Tecido")
ORIGIN_COUNTRIES = ("Brasil", "China", "Estados Unidos", "Alemanha", "Japão", "México")
ORIGIN_WEIGHTS = (0.55, 0.28, 0.06, 0.04, 0.04, 0.03)

CAMPAIGN_THEMES = (
    "Black Friday", "Natal", "Dia das Mães", "Dia dos Pais", "Volta às Aulas", "Carnaval",
    "Aniversário da Loja", "Semana do Consumidor", "Dia das Crianças", "Liquida Verão",
    "Inverno", "Cyber Monday", "Frete Grátis Brasil", "Clube Fidelidade", "Primeira Compra",
    "Cashback Turbo", "Queima de Estoque", "Dia dos Namorados", "Páscoa", "Outlet",
)  # fmt: skip

ORDER_NOTES = (
    "Entregar no periodo da manha",
    "Embalar para presente",
    "Cliente solicitou nota fiscal em nome da empresa",
    "Deixar na portaria com o zelador",
    "Ligar antes de entregar",
    "Pedido feito por telefone",
    "Entrega agendada com o cliente",
    "Endereco de entrega diferente do cadastro",
    "Cliente pediu prioridade na separacao",
    "Nao entregar aos sabados",
    "Troca de produto de pedido anterior",
    "Retirar na loja parceira",
)

REJECTION_REASONS = (
    "Cupom expirado",
    "Valor minimo do pedido nao atingido",
    "Limite de uso por cliente excedido",
    "Produto fora da campanha",
    "Cliente nao elegivel",
    "Campanha nao acumulativa",
)
