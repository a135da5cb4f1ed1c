import pytest


@pytest.fixture
def demo_data(organisation, researcher, model_version):
    """The research demo's consented data in the persona organisation."""
    from flourish.research import demo

    return demo.create(organisation, researcher)


@pytest.fixture
def researcher_client(client, researcher):
    client.force_login(researcher)
    return client
